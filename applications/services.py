"""Operations on cases. Each one locks the case row, checks, changes, saves and writes the history
in one transaction: it either happens whole, with its record, or not at all.
"""

import os
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from audit.models import AuditEntry
from audit.services import record
from municipalities.enums import UnitKind
from notifications.models import NotificationKind
from notifications.services import notify

from .checks import _units_counted
from .conditions import acting_role, is_case_participant
from .enums import CLOSED_STATES, CaseState, StepOutcome, StepStatus
from .models import (
    ApplicationSnapshot,
    BoardNotice,
    Case,
    CaseAttachment,
    CaseCost,
    CaseNumberSequence,
    CaseStep,
    Signature,
)
from .signals import case_transitioned
from .signatures import content_fingerprint, may_sign, required_signatures, valid_signatures
from .signatures import missing_signatures as missing_signatures_of
from .snapshots import readable_content

S = CaseState


class TransitionRefusedError(Exception):
    """A transition or step was refused; the message says why. Nothing was changed."""


class BoardNoticeRefusedError(TransitionRefusedError):
    """The information to the nämnd could not be recorded; ``field`` names the form field it
    concerns, or is None for the form as a whole."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class TransitionInfo:
    name: str
    label: str
    action: str  # the permission kind in conditions.ACTION_ROLES
    stage: str  # the rule-set stage it belongs to; unused stages hide it
    style: str = "primary"
    needs_reason: bool = False


TRANSITIONS = [
    TransitionInfo("submit_idea", gettext_lazy("Lämna in idén"), "applicant", "idea"),
    TransitionInfo("start_idea_review", gettext_lazy("Börja pröva idén"), "idea_review", "idea"),
    TransitionInfo("approve_idea", gettext_lazy("Godkänn idén"), "idea_review", "idea"),
    TransitionInfo("reject_idea", gettext_lazy("Avslå idén"), "idea_review", "idea", "danger", True),
    TransitionInfo("start_application", gettext_lazy("Skriv ansökan"), "applicant", "idea"),
    TransitionInfo("submit", gettext_lazy("Lämna in ansökan"), "applicant", "application"),
    TransitionInfo("resubmit", gettext_lazy("Lämna in kompletterad ansökan"), "applicant", "application"),
    TransitionInfo("start_preparation", gettext_lazy("Börja bereda"), "preparation", "preparation"),
    TransitionInfo(
        "return_for_completion",
        gettext_lazy("Skicka tillbaka för komplettering"),
        "preparation",
        "preparation",
        "secondary",
        True,
    ),
    TransitionInfo("mark_ready_for_decision", gettext_lazy("Klar för beslut"), "decision_basis", "preparation"),
    TransitionInfo("grant", gettext_lazy("Bevilja"), "decision", "decision", "primary", True),
    TransitionInfo("reject", gettext_lazy("Avslå"), "decision", "decision", "danger", True),
    TransitionInfo("begin_start", gettext_lazy("Påbörja projektstart"), "applicant", "start"),
    TransitionInfo("start_project", gettext_lazy("Starta projektet"), "applicant", "start"),
    TransitionInfo("extend", gettext_lazy("Förläng projektet"), "extension", "extension", "secondary", True),
    TransitionInfo("propose_abort", gettext_lazy("Föreslå avbrott"), "abort_proposal", "abort", "danger", True),
    TransitionInfo("abort", gettext_lazy("Avbryt projektet"), "abort_decision", "abort", "danger", True),
    TransitionInfo(
        "continue_project", gettext_lazy("Fortsätt projektet"), "abort_decision", "abort", "secondary", True
    ),
    TransitionInfo("submit_final_report", gettext_lazy("Lämna slutrapport"), "applicant", "follow_up"),
    TransitionInfo("evaluate", gettext_lazy("Utvärdering klar"), "preparation", "follow_up"),
    TransitionInfo("implement", gettext_lazy("Implementera"), "implementation", "implementation", "primary", True),
    TransitionInfo(
        "implement_partly", gettext_lazy("Implementera delvis"), "implementation", "implementation", "secondary", True
    ),
    TransitionInfo(
        "decline_implementation", gettext_lazy("Implementera inte"), "implementation", "implementation", "danger", True
    ),
    TransitionInfo("withdraw", gettext_lazy("Återta ärendet"), "applicant", "application", "danger", True),
]
TRANSITION_BY_NAME = {info.name: info for info in TRANSITIONS}

# Entering these states begins a stage whose steps come from the rule set.
STAGE_BEGUN_BY_STATE = {
    S.IDEA_IN_REVIEW: "idea",
    S.IN_PREPARATION: "preparation",
    S.STARTING: "start",
    S.ABORT_PROPOSED: "abort",
}
# Steps of a stage can be completed only while the case is in that stage's working state.
STATE_OF_STEP_STAGE = {stage: state for state, stage in STAGE_BEGUN_BY_STATE.items()}


@dataclass(frozen=True)
class TransitionOption:
    info: TransitionInfo
    allowed: bool
    reason: str


def _all_from_state(case):
    # get_available_state_transitions filters by conditions; the page also shows blocked ones.
    return [t for t in case.get_all_state_transitions() if t.source in (case.state, "*")]


def transition_options(case, user):
    """What this user may do now, and, for what they may not, why. Transitions of stages the
    rule set does not use are not offered at all."""
    options = []
    transitions = {t.name: t for t in _all_from_state(case)}
    for info in TRANSITIONS:
        transition = transitions.get(info.name)
        if transition is None or not case.rules.uses_stage(info.stage):
            continue
        reason = _refusal(case, transition, info, user)
        if reason is None or _shown_to(case, info, user):
            options.append(TransitionOption(info, reason is None, reason or ""))
    return options


def _shown_to(case, info, user):
    """A refused action is explained to the people who could take part in it, not to everyone."""
    role = acting_role(case, info.action)
    return bool(role) and user.has_role(role)


def _refusal(case, transition, info, user):
    """Why ``user`` cannot run the transition now, or None if they can."""
    # Only the permission here: django-fsm's has_transition_perm also checks the conditions, and
    # a failed condition must be told by its own reason, not as "only X can do this".
    if not transition.has_perm(case, user):
        role = acting_role(case, info.action)
        if role is None:
            return _("Regelverket använder inte det här steget.")
        if role == "applicant" and user.has_role(role) and not is_case_participant(case, user):
            return _("Bara sökande som deltar i ärendet kan göra detta.")
        return _("Bara %(body)s kan göra detta.") % {"body": case.rules.body_name(role)}
    for condition in transition.conditions:
        if not condition(case):
            return condition.explain(case)
    return None


def _lock(case):
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def run_transition(case, name, user, *, reason="", expected_state=None, new_end=None, missing=None):
    """Move ``case`` by transition ``name`` as ``user``.

    Refused (TransitionRefusedError, nothing changed) if the case changed since the user saw it
    (``expected_state``), if the transition does not start from its state, if the user lacks the
    role, or if a rule-set condition fails. Side effects: pins the rule set and gives a case
    number at first submission, creates a stage's steps when it begins, writes the history.
    """
    if name not in TRANSITION_BY_NAME:
        raise TransitionRefusedError(_("Okänd åtgärd."))
    info = TRANSITION_BY_NAME[name]
    case = _lock(case)
    if expected_state and case.state != expected_state:
        raise TransitionRefusedError(
            _("Ärendet har ändrats av någon annan (det är nu %(state)s). Ladda om sidan och försök igen.")
            % {"state": case.get_state_display()}
        )
    if info.needs_reason and not reason.strip():
        raise TransitionRefusedError(_("Skriv en motivering."))
    method = getattr(case, name)
    if name in ("submit_idea", "submit") and not case.number:
        # Check the submission against the rules it will be pinned to, not the draft's.
        _pin_active_ruleset(case)
    transition = _transition_from_state(case, info)
    refusal = _refusal(case, transition, info, user)
    if refusal:
        raise TransitionRefusedError(refusal)
    if name == "extend":
        _check_new_end(case, new_end)
    from_state = case.state
    if not can_proceed(method):  # pragma: no cover - _refusal checked the same conditions
        raise TransitionRefusedError(_("Åtgärden är inte möjlig nu."))
    if name == "extend":
        method(by=user, new_end=new_end)
    else:
        method(by=user)
    data = _apply_side_effects(case, name, user, reason=reason, new_end=new_end, missing=missing)
    record(case, f"case.{name}", actor=user, from_state=from_state, to_state=case.state, reason=reason, data=data)
    case_transitioned.send(sender=Case, case=case, name=name, user=user)
    return case


def _apply_side_effects(case, name, user, *, reason, new_end, missing):
    """Save the transitioned case with what its new state brings; return the history's details."""
    data = {"new_end": new_end.isoformat()} if new_end else {}
    if name in ("submit_idea", "submit") and not case.number:
        case.number = next_case_number(case.municipality, case.rules.case_number_prefix)
    if name in ("submit", "resubmit"):
        case.completion_request = {}
    case.save()
    if name in ("submit", "resubmit"):
        _take_snapshot(case)
    if name == "start_application":
        data["prefilled"] = _carry_idea_into_application(case)
    if name == "return_for_completion":
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


def _transition_from_state(case, info):
    """The transition to run from the case's state. Refused if it does not start there, or if its
    stage is one the rule set does not use (then its rule-set guard says why, e.g. "the rule set
    allows no extension")."""
    transition = next((t for t in _all_from_state(case) if t.name == info.name), None)
    if transition is None:
        raise TransitionRefusedError(
            _("Åtgärden ”%(action)s” går inte när ärendet är %(state)s.")
            % {"action": info.label, "state": case.get_state_display()}
        )
    if not case.rules.uses_stage(info.stage):
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


def _affected_units(case, role):
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
        units = _affected_units(case, spec.actor_role) if spec.per_affected_unit else [None]
        for unit in units:
            CaseStep.objects.create(
                case=case,
                stage=stage,
                key=spec.key,
                name=spec.name,
                actor_role=spec.actor_role,
                action=spec.action,
                gate=spec.gate,
                group=group,
                round=round_,
                unit=unit,
                cite=spec.cite,
            )


def may_complete_step(step, user):  # noqa: PLR0911 - one early return per reason, each told to the user
    """(allowed, reason) for the user completing the step now."""
    case = step.case
    if user.municipality_id != case.municipality_id or not user.has_role(step.actor_role):
        return False, _("Bara %(body)s kan göra detta steg.") % {"body": case.rules.body_name(step.actor_role)}
    if step.actor_role == "applicant" and not is_case_participant(case, user):
        return False, _("Bara sökande som deltar i ärendet kan göra detta steg.")
    if step.unit_id and user.unit_id and user.unit_id not in (step.unit_id, step.unit.parent_id):
        return False, _("Steget görs av %(unit)s.") % {"unit": step.unit.name}
    if STATE_OF_STEP_STAGE.get(step.stage) != case.state:
        return False, _("Steget kan inte göras när ärendet är %(state)s.") % {"state": case.get_state_display()}
    if not step.is_pending:
        return False, _("Steget är redan gjort.")
    if step.pk not in {s.pk for s in case.current_steps(step.stage)}:
        return False, _("Steget hör till en tidigare omgång och behöver inte göras.")
    earlier = [s for s in case.current_steps(step.stage) if s.group < step.group and s.is_pending]
    if earlier:
        return False, _("Först: %(steps)s.") % {"steps": "; ".join(str(s) for s in earlier)}
    if step.action == "sign" and step.unit_id and f"unit:{step.unit_id}" not in valid_signatures(case):
        return False, _("Underskriften för %(unit)s saknas: skriv under ansökan först.") % {"unit": step.unit.name}
    return True, ""


@transaction.atomic
def complete_step(case, step_id, user, *, outcome, comment=""):
    """Record that a step is done, positively or not, by ``user``. A negative outcome of a gate
    step stops the stage until the preparing group returns or rejects the case."""
    case = _lock(case)
    step = CaseStep.objects.select_for_update(of=("self",)).select_related("unit").get(pk=step_id, case=case)
    step.case = case
    if outcome not in StepOutcome.values:
        raise TransitionRefusedError(_("Välj ett utfall."))
    allowed, reason = may_complete_step(step, user)
    if not allowed:
        raise TransitionRefusedError(reason)
    step.status = StepStatus.DONE if outcome == StepOutcome.POSITIVE else StepStatus.DECLINED
    step.outcome = outcome
    step.comment = comment
    step.done_by = user
    step.done_at = timezone.now()
    step.save()
    record(
        case,
        "case.step",
        actor=user,
        reason=comment,
        data={"step": str(step), "outcome": outcome, "stage": step.stage},
    )
    return step


def complete_start_step(case, key, user, *, comment):
    """Mark the project start's step ``key`` done when the thing it asks for has been recorded
    (the project plan, the evaluation plan, the payout plan and its approval), if the case is
    starting and the step is the user's to do now; otherwise leave it for the step form."""
    if case.state != S.STARTING:
        return None
    step = next((s for s in case.current_steps("start") if s.key == key and s.is_pending), None)
    if step is None or not may_complete_step(step, user)[0]:
        return None
    return complete_step(case, step.pk, user, outcome=StepOutcome.POSITIVE, comment=comment)


@dataclass(frozen=True)
class Waiting:
    role: str
    reason: str
    unit_id: int | None = None


def waiting_for(case):
    """Who must act next on the case, and why. Reads only prefetched data."""
    rules = case.rules
    state = case.state
    applicant = rules.applicant_role
    simple = {
        S.IDEA_DRAFT: (applicant, _("Idén är inte inlämnad.")),
        S.IDEA_SUBMITTED: (rules.idea_review_role, _("Ny idé att pröva.")),
        S.IDEA_APPROVED: (applicant, _("Idén är godkänd: ansökan kan skrivas.")),
        S.DRAFT: (applicant, _("Ansökan är inte inlämnad.")),
        S.RETURNED: (applicant, _("Ansökan behöver kompletteras.")),
        S.SUBMITTED: (rules.preparation_role, _("Ny ansökan att bereda.")),
        S.RESUBMITTED: (rules.preparation_role, _("Kompletterad ansökan att bereda.")),
        S.READY_FOR_DECISION: (rules.decision_role, _("Ansökan väntar på beslut.")),
        S.GRANTED: (applicant, _("Beviljad: projektstarten kan påbörjas.")),
        S.FINAL_REPORT: (rules.preparation_role, _("Slutrapport att utvärdera.")),
        S.EVALUATED: (rules.implementation_role, _("Beslut om implementering saknas.")),
    }
    if state in (S.SUBMITTED, S.RESUBMITTED) and rules.board_informed and not _has_board_notice(case):
        return [Waiting(rules.board_informed["recorded_by"], _("Registrera att berörd nämnd har informerats."))]
    if state in simple:
        role, reason = simple[state]
        return [Waiting(role, reason)]
    stage = STAGE_BEGUN_BY_STATE.get(state)
    if stage is None:
        return []
    steps = case.current_steps(stage)
    pending = [s for s in steps if s.is_pending]
    if pending:
        first_group = min(s.group for s in pending)
        return [
            Waiting(s.actor_role, _("Steg: %(step)s.") % {"step": s}, s.unit_id)
            for s in pending
            if s.group == first_group
        ]
    owners = {
        "idea": (rules.idea_review_role, _("Idéprövningens steg är klara: godkänn eller avslå idén.")),
        "preparation": (rules.decision_basis_role, _("Beredningens steg är klara: markera klar för beslut.")),
        "start": (applicant, _("Startkraven är uppfyllda: projektet kan startas.")),
        "abort": (rules.abort_decision_role, _("Förslag om avbrott väntar på beslut.")),
    }
    role, reason = owners[stage]
    return [Waiting(role, reason)]


def _has_board_notice(case):
    """Whether the nämnd has been informed; lists read it from cases_for_list's annotation."""
    known = getattr(case, "has_board_notice", None)
    return case.board_notices.exists() if known is None else known


def waiting_on_user(case, user):
    """The reasons the case waits for this user (empty if it does not)."""
    reasons = []
    for waiting in waiting_for(case):
        if not waiting.role or not user.has_role(waiting.role):
            continue
        if waiting.role == "applicant" and not is_case_participant(case, user):
            continue
        if waiting.unit_id and user.unit_id and waiting.unit_id != user.unit_id:
            continue
        reasons.append(waiting.reason)
    return reasons


def cases_for_list(user):
    """The user's cases with what every list needs, in a fixed number of queries."""
    return (
        Case.objects.visible_to(user)
        .select_related("applicant_unit", "municipality", "created_by")
        .prefetch_related("ruleset_version", "units", "steps__unit")
        .annotate(has_board_notice=Exists(BoardNotice.objects.filter(case=OuterRef("pk"))))
    )


def cases_waiting_for(user):
    """(case, reasons) for every open case that waits for this user, oldest change first."""
    cases = cases_for_list(user).exclude(state__in=CLOSED_STATES).order_by("updated_at")
    result = []
    for case in cases:
        reasons = waiting_on_user(case, user)
        if reasons:
            result.append((case, reasons))
    return result


def case_history(case):
    return AuditEntry.objects.for_object(case).order_by("at", "id")


def _ensure_editor(case, user):
    if not (user.has_role(case.rules.applicant_role) and is_case_participant(case, user)):
        raise PermissionDenied(_("Bara sökande som deltar i ärendet kan ändra det."))
    if not case.is_editable:
        raise TransitionRefusedError(
            _("Ärendet kan inte ändras när det är %(state)s.") % {"state": case.get_state_display()}
        )


@transaction.atomic
def create_case(user, *, title, applicant_unit=None):
    """A new case in the user's municipality under the rule set in force: an idea where the rule
    set has idea review, otherwise an application draft."""
    municipality = user.municipality
    ruleset = municipality.active_ruleset if municipality else None
    if ruleset is None or not user.has_role(ruleset.document["stages"]["application"]["actor_role"]):
        raise PermissionDenied(_("Bara sökande i en kommun med ett gällande regelverk kan skapa ärenden."))
    uses_idea = ruleset.document["stages"]["idea"]["enabled"]
    case = Case.objects.create(
        municipality=municipality,
        ruleset_version=ruleset,
        state=S.IDEA_DRAFT if uses_idea else S.DRAFT,
        title=title,
        created_by=user,
        applicant_unit=applicant_unit or user.unit,
    )
    record(case, "case.created", actor=user, to_state=case.state)
    return case


@transaction.atomic
def save_case(case, user, *, fields, units=None, external_actors=None, costs=None, expected_state=None):
    """Save what the applicant wrote, complete or not (a draft may be saved at any time).
    ``costs`` maps year to amount and replaces the earlier costs."""
    case = _lock(case)
    if expected_state and case.state != expected_state:
        raise TransitionRefusedError(_("Ärendet har ändrats av någon annan. Ladda om sidan och försök igen."))
    _ensure_editor(case, user)
    for name, value in fields.items():
        setattr(case, name, value)
    case.save()
    if units is not None:
        case.units.set(units)
    if external_actors is not None:
        case.external_actors.set(external_actors)
    before = content_fingerprint(case) if case.signatures.exists() else None
    if costs is not None:
        case.costs.all().delete()
        case.costs.bulk_create(
            [CaseCost(case=case, year=year, amount=amount) for year, amount in sorted(costs.items())]
        )
    record(case, "case.saved", actor=user, data={"fields": sorted(fields)})
    if before is not None:
        _void_outdated_signatures(Case.objects.get(pk=case.pk), user)
    return case


def _void_outdated_signatures(case, user):
    """Signatures given to another text of the application no longer count; they stay visible."""
    fingerprint = content_fingerprint(case)
    for signature in case.signatures.filter(voided_at__isnull=True).exclude(fingerprint=fingerprint):
        signature.voided_at = timezone.now()
        signature.void_reason = _("Ansökan ändrades efter underskriften.")
        signature.save(update_fields=["voided_at", "void_reason"])
        record(
            case,
            "case.signature_voided",
            actor=user,
            reason=signature.void_reason,
            data={"signed_for": signature.signed_for, "signer": str(signature.signer)},
        )


def request_signatures(case, user):
    """Ask the head of each unit whose signature is missing to sign. Returns who was asked."""
    from accounts.models import User

    if not is_case_participant(case, user):
        raise TransitionRefusedError(_("Bara sökande i ärendet kan be om underskrifter."))
    asked = []
    url = reverse("applications:detail", args=[case.pk])
    for requirement in missing_signatures_of(case):
        if not requirement.unit_id:
            continue
        heads = User.objects.filter(
            municipality=case.municipality,
            unit_id=requirement.unit_id,
            role_assignments__role=case.rules.applicant_role,
        ).exclude(pk=user.pk)
        for head in heads:
            text = _("%(user)s ber dig skriva under ansökan %(case)s för %(unit)s.") % {
                "user": user,
                "case": case,
                "unit": requirement.signed_for,
            }
            notify(head, NotificationKind.SIGNATURE_REQUESTED, text, case=case, url=url)
            asked.append(head)
    return asked


@transaction.atomic
def sign(case, requirement_key, user, *, capacity=""):
    """Sign the application as it reads now, for the unit or actor of ``requirement_key``."""
    case = _lock(case)
    requirement = next((r for r in required_signatures(case) if r.key == requirement_key), None)
    if requirement is None:
        raise TransitionRefusedError(_("Regelverket kräver ingen sådan underskrift i det här ärendet."))
    allowed, reason = may_sign(case, requirement, user)
    if not allowed:
        raise TransitionRefusedError(reason)
    default_capacity = _("chef för %(unit)s") % {"unit": requirement.signed_for}
    signature = Signature.objects.create(
        case=case,
        requirement=requirement.key,
        signed_for=requirement.signed_for,
        signer=user,
        signer_capacity=capacity.strip() or default_capacity,
        fingerprint=content_fingerprint(case),
    )
    record(
        case,
        "case.signed",
        actor=user,
        data={
            "signed_for": signature.signed_for,
            "fingerprint": signature.fingerprint,
            "capacity": signature.signer_capacity,
        },
    )
    return signature


ALLOWED_UPLOADS = {
    # extension: (content type, magic bytes at the start of the file)
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
}


def upload_problem(upload, max_mb):
    """Why an uploaded file is refused, or None: only PDF, Word and Excel, at most ``max_mb`` MB,
    and the content must be what the name says."""
    extension = os.path.splitext(upload.name)[1].lower()
    if extension not in ALLOWED_UPLOADS:
        return _("Filtypen %(ext)s tas inte emot. Tillåtna: PDF, Word (.doc, .docx) och Excel (.xls, .xlsx).") % {
            "ext": extension or "?"
        }
    if upload.size > max_mb * 1024 * 1024:
        return _("Filen är %(size)s MB; högsta tillåtna storlek är %(max)s MB.") % {
            "size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ","),
            "max": max_mb,
        }
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED_UPLOADS[extension][1]):
        return _("Filens innehåll är inte %(ext)s.") % {"ext": extension}
    return None


@transaction.atomic
def add_attachment(case, user, upload, *, max_mb):
    case = _lock(case)
    _ensure_editor(case, user)
    problem = upload_problem(upload, max_mb)
    if problem:
        raise TransitionRefusedError(problem)
    attachment = CaseAttachment.objects.create(
        case=case,
        file=upload,
        original_name=os.path.basename(upload.name),
        size=upload.size,
        content_type=ALLOWED_UPLOADS[os.path.splitext(upload.name)[1].lower()][0],
        uploaded_by=user,
    )
    record(case, "case.attachment", actor=user, data={"file": attachment.original_name, "size": attachment.size})
    return attachment


# Until the decision the application's nämnd may be informed: before the preparing group takes
# the case (required where the rule set asks it), and again when the application changes.
BOARD_NOTICE_STATES = (S.DRAFT, S.RETURNED, S.SUBMITTED, S.RESUBMITTED, S.IN_PREPARATION)


def may_record_board_notice(case, user):
    """(allowed, reason) for the user recording that the affected nämnd has been informed."""
    requirement = case.rules.board_informed
    if not requirement:
        return False, _("Regelverket ber inte om att nämnden informeras.")
    role = requirement["recorded_by"]
    if user.municipality_id != case.municipality_id or not user.has_role(role):
        return False, _("Bara %(body)s kan registrera att nämnden har informerats.") % {
            "body": case.rules.body_name(role)
        }
    if role == case.rules.applicant_role and not is_case_participant(case, user):
        return False, _("Bara sökande som deltar i ärendet kan registrera att nämnden har informerats.")
    if case.state not in BOARD_NOTICE_STATES:
        return False, _("Att nämnden har informerats registreras före beslutet; ärendet är %(state)s.") % {
            "state": case.get_state_display()
        }
    return True, ""


@transaction.atomic
def record_board_notice(case, user, *, board, informed_on, informed_by):
    """Record which nämnd was informed of the application, when and by whom. Refused, with
    nothing written, if the user may not record it, the nämnd is not one of the case's
    municipality of a kind the rule set names, the date is in the future or nobody is named.
    Side effect: the case history tells it."""
    case = _lock(case)
    allowed, reason = may_record_board_notice(case, user)
    if not allowed:
        raise BoardNoticeRefusedError(reason)
    kinds = case.rules.board_informed["unit_kinds"]
    if board is None or board.municipality_id != case.municipality_id or board.kind not in kinds:
        raise BoardNoticeRefusedError(_("Välj en av kommunens nämnder."), "board")
    if informed_on is None:
        raise BoardNoticeRefusedError(_("Ange när nämnden informerades."), "informed_on")
    if informed_on > timezone.localdate():
        raise BoardNoticeRefusedError(_("Nämnden kan inte ha informerats ett datum som inte har varit."), "informed_on")
    if not (informed_by or "").strip():
        raise BoardNoticeRefusedError(_("Ange vem som informerade nämnden."), "informed_by")
    notice = BoardNotice.objects.create(
        case=case, board=board, informed_on=informed_on, informed_by=informed_by.strip(), recorded_by=user
    )
    record(
        case,
        "case.board_informed",
        actor=user,
        data={"board": board.name, "informed_on": informed_on.isoformat(), "informed_by": notice.informed_by},
    )
    return notice
