"""Moving a case along its lifecycle: one service runs every transition (lock, check, transition,
save, history), with what the new state brings (the case number, the snapshot, a stage's steps).
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from audit.services import record
from municipalities.enums import UnitKind
from municipalities.models import OrganisationalUnit
from notifications.models import NotificationKind
from notifications.services import notify

from ..checks import _units_counted
from ..enums import STAGE_BEGUN_BY_STATE, state_clause
from ..models import ApplicationSnapshot, Case, CaseNumberSequence, CaseStep
from ..selectors import transition_refusal, transitions_from_state
from ..signals import case_transitioned
from ..signatures import signing_unit_ids
from ..snapshots import readable_content
from . import TransitionRefusedError, lock_case
from .notices import transition_event, watch_case
from .steps import complete_recorded_steps


@transaction.atomic
def run_transition(
    case, name, user, *, reason="", expected_state=None, new_end=None, missing=None, decision=None, content=""
):
    """Move ``case`` by transition ``name`` as ``user``.

    Refused (TransitionRefusedError, nothing changed) if the transition is taken only by a
    decision and no ``decision`` is given, if the case changed since the user saw it
    (``expected_state``), if the transition does not start from its state, if the user lacks the
    role, or if a rule-set condition fails. A transition taken by recording content is refused
    unless ``content`` names what the calling service has just recorded (e.g. the final report),
    which the history keeps. Side effects: pins the rule set and gives a case number at first
    submission, creates a stage's steps when it begins, writes the history.
    """
    details = _recorded_transition(name, decision=decision, content=content)
    case = lock_case(case)
    # The change begins here: what it tells people (a return for completion) belongs to it.
    watch_case(case.pk)
    if expected_state and case.state != expected_state:
        raise TransitionRefusedError(
            _("Ärendet har ändrats av någon annan (status nu: ”%(state)s”). Ladda om sidan och försök igen.")
            % {"state": case.get_state_display()}
        )
    if details.needs_reason and not reason.strip():
        raise TransitionRefusedError(_("Skriv en motivering."))
    method = getattr(case, name)
    if details.numbers_case and not case.number:
        # Check the submission against the rules it will be pinned to, not the draft's.
        _pin_active_ruleset(case)
    transition = _transition_from_state(case, details)
    refusal = transition_refusal(case, transition, details, user, content_checked=bool(content))
    if refusal:
        raise TransitionRefusedError(refusal)
    if "new_end" in details.asks:
        _check_new_end(case, new_end)
    from_state = case.state
    if not can_proceed(method):  # pragma: no cover - transition_refusal checked the same conditions
        raise TransitionRefusedError(_("Åtgärden är inte möjlig nu."))
    if "new_end" in details.asks:
        method(by=user, new_end=new_end)
    else:
        method(by=user)
    data = _apply_side_effects(case, details, user, reason=reason, new_end=new_end, missing=missing)
    if decision is not None:
        data["decision"] = str(decision)
    if content:
        data["content"] = str(content)
    record(case, details.audit_action, actor=user, from_state=from_state, to_state=case.state, reason=reason, data=data)
    watch_case(case.pk, event=transition_event(case, details, user))
    if case.state in STAGE_BEGUN_BY_STATE:
        # The stage has begun: its steps that stand for records made earlier are done now.
        complete_recorded_steps(case)
    case_transitioned.send(sender=Case, case=case, name=name, user=user)
    return case


def _recorded_transition(name, *, decision, content):
    """The transition's details, once it is known and, where its new state means a record (a
    decision, the final report), that record is given. Otherwise refused, saying where the
    record is made."""
    details = Case.transition_details(name)
    if details is None:
        raise TransitionRefusedError(_("Okänd åtgärd."))
    if details.taken_by == "content" and not content:
        raise TransitionRefusedError(str(details.taken_where))
    if details.taken_by == "decision" and decision is None:
        raise TransitionRefusedError(
            str(details.taken_where)
            or _("”%(action)s” sker genom ett protokollfört beslut med sammanträdesdag, paragraf och motivering.")
            % {"action": details.label}
        )
    return details


def _apply_side_effects(case, details, user, *, reason, new_end, missing):
    """Save the transitioned case with what its new state brings; return the history's details."""
    data = {"new_end": new_end.isoformat()} if new_end else {}
    if details.numbers_case and not case.number:
        case.number = next_case_number(case.municipality, case.rules.case_number_prefix)
    if details.snapshots_application:
        case.completion_request = {}
    case.save()
    if details.snapshots_application:
        _take_snapshot(case)
    if details.carries_idea:
        data["prefilled"] = _carry_idea_into_application(case)
    if "missing" in details.asks:
        data["missing"] = list(missing or [])
        _request_completion(case, user, reason, data["missing"])
    stage = STAGE_BEGUN_BY_STATE.get(case.state)
    if stage:
        _begin_stage(case, stage)
    return data


def _carry_idea_into_application(case):
    """Prefill the application's sections from the approved idea as the rule set maps them, never
    over anything already written. Returns the keys of the sections prefilled."""
    carried = {}
    for index, key in case.rules.idea_carried_into_application:
        text = str(case.idea.get(str(index), "")).strip()
        if text and not str(case.sections.get(key, "")).strip():
            carried[key] = f"{carried[key]}\n\n{text}" if key in carried else text
    if carried:
        case.sections = {**case.sections, **carried}
        case.save(update_fields=["sections"])
    return sorted(carried)


def _take_snapshot(case):
    number = case.snapshots.count() + 1
    ApplicationSnapshot.objects.create(case=case, number=number, content=readable_content(case))


def _request_completion(case, user, note, missing):
    """Send the case back with the list of what is missing, and tell the applicants."""
    case.completion_request = {"missing": list(missing), "note": note, "by": str(user)}
    case.save(update_fields=["completion_request"])
    recipients = {case.created_by}
    units = [case.applicant_unit_id, *case.units.values_list("pk", flat=True)]
    recipients |= set(
        case.municipality.members.filter(role_assignments__role=case.rules.applicant_role, unit__in=units)
    )
    text = _("%(case)s behöver kompletteras: %(missing)s") % {
        "case": case,
        "missing": "; ".join(missing) or note,
    }
    for recipient in recipients:
        url = reverse("applications:detail", args=[case.pk])
        notify(recipient, NotificationKind.CASE_RETURNED, text, case=case, url=url)


def _check_new_end(case, new_end):
    if new_end is None:
        raise TransitionRefusedError(_("Ange det nya slutdatumet."))
    if case.end_date and new_end <= case.end_date:
        raise TransitionRefusedError(
            _("Det nya slutdatumet måste vara efter %(end)s.") % {"end": case.end_date.isoformat()}
        )


def _transition_from_state(case, details):
    """The transition to run from the case's state. Refused if it does not start there, or if its
    stage is one the rule set does not use (then its rule-set guard says why, e.g. "the rule set
    allows no extension")."""
    transition = next((t for t in transitions_from_state(case) if t.name == details.name), None)
    if transition is None:
        raise TransitionRefusedError(
            _("Åtgärden ”%(action)s” går inte när %(state)s.")
            % {"action": details.label, "state": state_clause(case.state)}
        )
    if not case.rules.uses_stage(details.stage):
        failed = next((condition for condition in transition.conditions if not condition(case)), None)
        raise TransitionRefusedError(failed.explain(case) if failed else _("Regelverket använder inte det här steget."))
    return transition


def _pin_active_ruleset(case):
    """At first submission the case takes the rule-set version in force (with its diarienummer,
    given once the submission is accepted)."""
    active = case.municipality.active_ruleset
    if active and active.pk != case.ruleset_version_id:
        case.ruleset_version = active
        case.__dict__.pop("rules", None)


def next_case_number(municipality, prefix, year=None):
    """The next diarienummer, e.g. 'KS 2026/0042'. The sequence row is locked, so two submissions
    at the same moment never get the same number."""
    year = year or timezone.localdate().year
    CaseNumberSequence.objects.get_or_create(municipality=municipality, year=year)
    sequence = CaseNumberSequence.objects.select_for_update().get(municipality=municipality, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{prefix} {year}/{sequence.last_number:04d}"


def _affected_units(case, spec):
    role = spec.actor_role
    if spec.action == "sign":
        # One signing step per unit whose head signs (Ystad: per förvaltning, not per verksamhet).
        ids = signing_unit_ids(case)
        return sorted(OrganisationalUnit.objects.filter(pk__in=ids), key=lambda unit: ids.index(unit.pk))
    units = [u for u in [case.applicant_unit, *case.units.all()] if u is not None]
    if role == "board":
        # A board acts for its nämnd: count each unit at the nämnd above it.
        ids = _units_counted(units, [UnitKind.NAMND])
        by_id = {}
        for unit in units:
            node = unit
            while node is not None and node.kind != UnitKind.NAMND:
                node = node.parent
            if node is not None and node.pk in ids:
                by_id[node.pk] = node
        return list(by_id.values()) or units
    return list(dict.fromkeys(units))  # the applicant unit may also be listed among the units


def _begin_stage(case, stage):
    round_ = max((s.round for s in case.steps.filter(stage=stage)), default=0) + 1
    group = 0
    for spec in case.rules.step_specs(stage):
        if not spec.parallel_with_previous:
            group += 1
        units = _affected_units(case, spec) if spec.per_affected_unit else [None]
        for unit in units:
            CaseStep.objects.create(
                case=case,
                stage=stage,
                key=spec.key,
                name=spec.name,
                actor_role=spec.actor_role,
                action=spec.action,
                gate=spec.gate,
                kind=spec.kind,
                optional=spec.optional,
                expertise_rule=spec.expertise or "",
                group=group,
                round=round_,
                unit=unit,
                cite=spec.cite,
            )
