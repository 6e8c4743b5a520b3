"""Operations on cases. Each one locks the case row, checks, changes, saves and writes the history
in one transaction: it either happens whole, with its record, or not at all.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from accounts.enums import Role
from audit.models import AuditEntry
from audit.services import record
from core.refusals import DomainRefusedError
from municipalities.enums import UnitKind
from municipalities.models import OrganisationalUnit
from municipalities.units import is_within, upwards
from notifications.models import NotificationKind
from notifications.services import notify

from .checks import _units_counted
from .conditions import missing_evaluation_names
from .enums import CLOSED_STATES, RUNNING_STATES, CaseState, StepOutcome, StepStatus
from .models import (
    ApplicationSnapshot,
    BoardNotice,
    Case,
    CaseAttachment,
    CaseCost,
    CaseNumberSequence,
    CaseStep,
    Signature,
    SignatureMethod,
)
from .rules import RECORD_BOARD_NOTICE, acting_role, is_case_applicant, is_case_participant
from .signals import case_transitioned
from .signatures import (
    SIGNABLE_STATES,
    changed_parts,
    content_fingerprint,
    may_record_paper_signature,
    may_sign,
    required_signatures,
    signed_content,
    signer_capacity,
    signing_unit,
    signing_unit_ids,
    unit_of,
    valid_signatures,
)
from .signatures import missing_signatures as missing_signatures_of
from .snapshots import readable_content

S = CaseState


class TransitionRefusedError(DomainRefusedError):
    """A transition or step was refused; the message says why. Nothing was changed."""


class BoardNoticeRefusedError(TransitionRefusedError):
    """The information to the nämnd could not be recorded."""


class StepRefusedError(TransitionRefusedError):
    """A step was refused because of one of the step form's fields."""


class SignatureRefusedError(TransitionRefusedError):
    """A signature was refused; ``field`` names the form field the reason belongs to, if any."""


@dataclass(frozen=True)
class TransitionInfo:
    name: str
    label: str
    action: str  # the permission kind in rules.ACTION_ROLES
    stage: str  # the rule-set stage it belongs to; unused stages hide it
    style: str = "primary"
    needs_reason: bool = False
    # Taken only by recording the deciding body's decision (decisions.services.record_decision),
    # which holds the meeting, the § and the reason: the case page offers the decision form instead.
    by_decision: bool = False


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
    # Granting and rejecting are the decision body's recorded decisions (decisions.services
    # record_decision), not buttons of their own: they are never offered on the case page.
    TransitionInfo("grant", gettext_lazy("Bevilja"), "decision", "decision", "primary", True),
    TransitionInfo("reject", gettext_lazy("Avslå"), "decision", "decision", "danger", True),
    TransitionInfo("begin_start", gettext_lazy("Påbörja projektstart"), "applicant", "start"),
    TransitionInfo("start_project", gettext_lazy("Starta projektet"), "applicant", "start"),
    TransitionInfo("extend", gettext_lazy("Förläng projektet"), "extension", "extension", "secondary", True, True),
    TransitionInfo("propose_abort", gettext_lazy("Föreslå avbrott"), "abort_proposal", "abort", "danger", True),
    TransitionInfo("abort", gettext_lazy("Avbryt projektet"), "abort_decision", "abort", "danger", True, True),
    TransitionInfo(
        "continue_project", gettext_lazy("Fortsätt projektet"), "abort_decision", "abort", "secondary", True, True
    ),
    TransitionInfo("submit_final_report", gettext_lazy("Lämna slutrapport"), "applicant", "follow_up"),
    TransitionInfo("evaluate", gettext_lazy("Utvärdering klar"), "preparation", "follow_up"),
    TransitionInfo(
        "implement", gettext_lazy("Implementera"), "implementation", "implementation", "primary", True, True
    ),
    TransitionInfo(
        "implement_partly",
        gettext_lazy("Implementera delvis"),
        "implementation",
        "implementation",
        "secondary",
        True,
        True,
    ),
    TransitionInfo(
        "decline_implementation",
        gettext_lazy("Implementera inte"),
        "implementation",
        "implementation",
        "danger",
        True,
        True,
    ),
    TransitionInfo("withdraw", gettext_lazy("Återta ärendet"), "applicant", "application", "danger", True),
]
TRANSITION_BY_NAME = {info.name: info for info in TRANSITIONS}
# Transitions that only a recorded decision may run: run_transition refuses them unless given the
# decision (``decision=``), which only the decision service passes.
DECISION_TRANSITIONS = frozenset({"grant", "reject"} | {info.name for info in TRANSITIONS if info.by_decision})
# Transitions whose new state means that some content exists. No button runs them: the service
# that records the content runs them in its own transaction (``run_transition(..., content=...)``),
# having checked who may write it. A bare request is refused with where the content is given.
CONTENT_TRANSITIONS = {
    "submit_final_report": gettext_lazy(
        "Ärendet blir ”slutrapport inlämnad” när slutrapporten lämnas in på rapportens sida under Uppföljning."
    ),
}

# Entering these states begins a stage whose steps come from the rule set.
STAGE_BEGUN_BY_STATE = {
    S.IDEA_IN_REVIEW: "idea",
    S.IN_PREPARATION: "preparation",
    S.STARTING: "start",
    S.ABORT_PROPOSED: "abort",
    S.EVALUATED: "implementation",
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
        if (
            transition is None
            or info.name in DECISION_TRANSITIONS
            or info.name in CONTENT_TRANSITIONS
            or not case.rules.uses_stage(info.stage)
        ):
            continue
        reason = _refusal(case, transition, info, user)
        if reason is None or _shown_to(case, info, user):
            options.append(TransitionOption(info, reason is None, reason or ""))
    return options


def _shown_to(case, info, user):
    """A refused action is explained to the people who could take part in it, not to everyone."""
    role = acting_role(case, info.action)
    return bool(role) and user.has_role(role)


def _refusal(case, transition, info, user, *, content_checked=False):
    """Why ``user`` cannot run the transition now, or None if they can. Where the service that
    records the transition's content has checked who may write it, the role is not asked again."""
    # Only the permission here: django-fsm's has_transition_perm also checks the conditions, and
    # a failed condition must be told by its own reason, not as "only X can do this".
    if not content_checked and not transition.has_perm(case, user):
        role = acting_role(case, info.action)
        if role is None:
            return _("Regelverket använder inte det här steget.")
        if role == "applicant" and user.has_role(role) and not is_case_participant(user, case):
            return _("Bara sökande som deltar i ärendet kan göra detta.")
        return _("Bara %(body)s kan göra detta.") % {"body": case.rules.body_name(role)}
    for condition in transition.conditions:
        if not condition(case):
            return condition.explain(case)
    return None


def _lock(case):
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def run_transition(
    case, name, user, *, reason="", expected_state=None, new_end=None, missing=None, decision=None, content=""
):
    """Move ``case`` by transition ``name`` as ``user``.

    Refused (TransitionRefusedError, nothing changed) if the transition is one only a decision
    may take (DECISION_TRANSITIONS) and no ``decision`` is given, if the case changed since the
    user saw it (``expected_state``), if the transition does not start from its state, if the
    user lacks the role, or if a rule-set condition fails. A transition of CONTENT_TRANSITIONS is
    refused unless ``content`` names what the calling service has just recorded (e.g. the final
    report), which the history keeps. Side effects: pins the rule set and gives a case number at
    first submission, creates a stage's steps when it begins, writes the history.
    """
    info = _recorded_transition(name, decision=decision, content=content)
    case = _lock(case)
    if expected_state and case.state != expected_state:
        raise TransitionRefusedError(
            _("Ärendet har ändrats av någon annan (status nu: ”%(state)s”). Ladda om sidan och försök igen.")
            % {"state": case.get_state_display()}
        )
    if info.needs_reason and not reason.strip():
        raise TransitionRefusedError(_("Skriv en motivering."))
    method = getattr(case, name)
    if name in ("submit_idea", "submit") and not case.number:
        # Check the submission against the rules it will be pinned to, not the draft's.
        _pin_active_ruleset(case)
    transition = _transition_from_state(case, info)
    refusal = _refusal(case, transition, info, user, content_checked=bool(content))
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
    if decision is not None:
        data["decision"] = str(decision)
    if content:
        data["content"] = str(content)
    record(case, f"case.{name}", actor=user, from_state=from_state, to_state=case.state, reason=reason, data=data)
    if case.state in STAGE_BEGUN_BY_STATE:
        # The stage has begun: its steps that stand for records made earlier are done now.
        complete_recorded_steps(case)
    case_transitioned.send(sender=Case, case=case, name=name, user=user)
    return case


def _recorded_transition(name, *, decision, content):
    """The transition's description, once it is known and, where its new state means a record
    (a decision, the final report), that record is given. Otherwise refused, saying where the
    record is made."""
    if name not in TRANSITION_BY_NAME:
        raise TransitionRefusedError(_("Okänd åtgärd."))
    if name in CONTENT_TRANSITIONS and not content:
        raise TransitionRefusedError(str(CONTENT_TRANSITIONS[name]))
    info = TRANSITION_BY_NAME[name]
    if name in DECISION_TRANSITIONS and decision is None:
        if not info.by_decision:  # granting and rejecting
            raise TransitionRefusedError(
                _("Ärendet beviljas eller avslås bara genom beslutsorganets protokollförda beslut.")
            )
        raise TransitionRefusedError(
            _("”%(action)s” sker genom ett protokollfört beslut med sammanträdesdag, paragraf och motivering.")
            % {"action": info.label}
        )
    return info


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


def may_complete_step(step, user):
    """(allowed, reason) for the user completing the step now. A step that stands for a record
    kept elsewhere (RECORDED_STEPS) is done by making that record, never by the step form."""
    recorded = recorded_step(step)
    if recorded is not None:
        return False, str(recorded.where)
    return _may_do_step(step, user)


def _may_do_step(step, user):  # noqa: PLR0911 - one early return per reason, each told to the user
    case = step.case
    signer_unit = signing_unit_of_step(case, step) if step.action == "sign" and step.unit_id else None
    if signer_unit is not None:
        # The unit's signing step is its designated head's (or a named deputy's), whatever their role.
        if user.municipality_id != case.municipality_id or not signer_unit.may_sign(user):
            return False, _("Steget görs av den utsedda chefen för %(unit)s eller en ersättare.") % {
                "unit": signer_unit.name
            }
    elif user.municipality_id != case.municipality_id or not user.has_role(step.actor_role):
        return False, _("Bara %(body)s kan göra detta steg.") % {"body": case.rules.body_name(step.actor_role)}
    elif step.actor_role == "applicant" and not is_case_participant(user, case):
        return False, _("Bara sökande som deltar i ärendet kan göra detta steg.")
    elif step.unit_id and step.actor_role == "board":
        # A nämnd representative belongs to one nämnd and speaks only for it.
        if not (user.unit_id and is_within(user.unit, step.unit)):
            return False, _("Steget görs av %(unit)s: bara den nämndens representanter kan göra det.") % {
                "unit": step.unit.name
            }
    elif step.unit_id and user.unit_id and user.unit_id not in (step.unit_id, step.unit.parent_id):
        return False, _("Steget görs av %(unit)s.") % {"unit": step.unit.name}
    if STATE_OF_STEP_STAGE.get(step.stage) != case.state:
        return False, _("Steget kan inte göras när ärendet är %(state)s.") % {"state": case.get_state_display()}
    if not step.is_pending:
        return False, _("Steget är redan gjort.")
    if step.pk not in {s.pk for s in case.current_steps(step.stage)}:
        return False, _("Steget hör till en tidigare omgång och behöver inte göras.")
    earlier = [s for s in case.current_steps(step.stage) if s.group < step.group and s.blocks]
    if earlier:
        return False, _("Först: %(steps)s.") % {"steps": "; ".join(str(s) for s in earlier)}
    return True, ""


def signing_unit_of_step(case, step):
    """The unit whose head does a signing step: the step's own unit, or, for a step made before
    the rule set named whose head signs (one per verksamhet), the unit whose head signs for it."""
    kinds = [rule.head_unit_kind for rule in case.rules.application.signatures if rule.signs_for_units]
    return signing_unit(step.unit, kinds[0] if kinds else None)


@transaction.atomic
def complete_step(case, step_id, user, *, outcome, comment="", expertise=None):
    """Record that a step is done, positively or not, by ``user``. A negative outcome of a gate
    step stops the stage until the preparing group returns or rejects the case. Where the rule
    set has the step record the expertise consulted, ``expertise`` holds it: a dict of name,
    organisation and contribution; it is stored on the step and in the history."""
    case = _lock(case)
    step = CaseStep.objects.select_for_update(of=("self",)).select_related("unit").get(pk=step_id, case=case)
    step.case = case
    if outcome not in StepOutcome.values:
        raise TransitionRefusedError(_("Välj ett utfall."))
    if step.action == "propose" and not comment.strip():
        raise TransitionRefusedError(_("Skriv förslaget i kommentaren."))
    allowed, reason = may_complete_step(step, user)
    if not allowed:
        raise TransitionRefusedError(reason)
    if step.action == "sign" and step.unit_id and outcome == StepOutcome.POSITIVE:
        # The head approves by signing (which completes the step); here only a nej is given.
        unit = signing_unit_of_step(case, step)
        raise TransitionRefusedError(
            _("Godkännandet för %(unit)s ges genom underskriften under Underskrifter; här registreras bara ett nej.")
            % {"unit": unit.name}
        )
    if step.is_information and outcome != StepOutcome.POSITIVE:
        raise TransitionRefusedError(
            _("%(step)s är ett informationssteg: det har inget nej och kan bara kvitteras.") % {"step": step.name}
        )
    data = None
    if step.records_expertise:
        expertise = _checked_expertise(step, expertise or {})
        step.expertise_name = expertise["name"]
        step.expertise_organisation = expertise["organisation"]
        step.expertise_contribution = expertise["contribution"]
        data = {"expertise": expertise} if any(expertise.values()) else None
    step = _record_step(case, step, user, outcome=outcome, comment=comment, data=data)
    approve_signed_steps(case)
    return step


def _checked_expertise(step, expertise):
    expertise = {key: str(expertise.get(key) or "").strip() for key in ("name", "organisation", "contribution")}
    if step.expertise_rule == "required" or any(expertise.values()):
        if not expertise["name"]:
            raise StepRefusedError(
                _("Ange vilken expertis som anlitades i steget %(step)s.") % {"step": step.name}, "expertise_name"
            )
        if not expertise["contribution"]:
            raise StepRefusedError(
                _("Beskriv vad expertisen bidrog med i steget %(step)s.") % {"step": step.name},
                "expertise_contribution",
            )
    return expertise


def _record_step(case, step, user, *, outcome, comment, data=None):
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
        data={"step": str(step), "outcome": outcome, "stage": step.stage, "kind": step.kind, **(data or {})},
    )
    return step


def complete_unit_step_by_answer(case, unit, user, *, outcome, comment, source):
    """A nämnd's answer given elsewhere (its remiss answer, or its delegate's) is its position:
    complete the nämnd's own pending step of the stage the case is in. The caller holds the case
    lock and has checked that ``user`` speaks for ``unit``. Returns the step, or None if the
    stage has no such step pending. Side effect: the step's history entry, naming ``source``."""
    step = unit_position_step(case, unit)
    if step is None or not step.is_pending:
        return None
    step = CaseStep.objects.select_for_update(of=("self",)).select_related("unit").get(pk=step.pk)
    step = _record_step(case, step, user, outcome=outcome, comment=comment, data={"source": source})
    approve_signed_steps(case)
    return step


def approve_signed_steps(case):
    """Where the rule set makes the heads' signatures a step of the stage (a step with the action
    "sign": "Ansökan undertecknas och godkänns av berörda förvaltningschefer", seed 003, Steg 3),
    the signature is the unit's approval. The unit's pending step is done by it, in the signer's
    name, as soon as it is the step's turn: at the signature, or when the steps before it are
    done. A head who does not approve does not sign and answers the step with a nej. The caller
    holds the case lock. Side effects: each step and its history entry. Returns the steps done."""
    stage = STAGE_BEGUN_BY_STATE.get(case.state)
    if stage is None:
        return []
    steps = case.current_steps(stage)
    signed = valid_signatures(case)
    done = []
    for step in steps:
        if step.action != "sign" or not step.unit_id or not step.is_pending:
            continue
        unit = signing_unit_of_step(case, step)
        signature = signed.get(f"unit:{unit.pk}") if unit else None
        if signature is None or signature.signer is None:
            continue
        if any(s.group < step.group and s.blocks for s in steps):
            continue
        locked = CaseStep.objects.select_for_update(of=("self",)).select_related("unit").get(pk=step.pk)
        locked.case = case
        signed_at = timezone.localtime(signature.signed_at)
        comment = _("Godkänd genom underskriften %(at)s.") % {"at": signed_at.strftime("%Y-%m-%d %H:%M")}
        done.append(_record_step(case, locked, signature.signer, outcome=StepOutcome.POSITIVE, comment=comment))
    return done


def unit_position_step(case, unit):
    """The nämnd's own step in the stage the case is in (its position or its comments), done or
    not; None if the stage has none for it. A nämnd takes one position per stage."""
    stage = STAGE_BEGUN_BY_STATE.get(case.state)
    if stage is None:
        return None
    return next(
        (
            s
            for s in case.current_steps(stage)
            if s.actor_role == "board" and s.unit_id == unit.pk and not s.is_information
        ),
        None,
    )


def takes_part_in_case(case, user, *, by_unit=True, by_signature=True):
    """Whether ``user`` has a stake in the case (jäv) and so may not speak for a nämnd on it:
    its creator, anyone who signed it and, ``by_unit``, anyone of the applicant unit or a
    participating unit (or a unit beneath them). A nämnd that itself takes part still gives its
    own view through its representatives (Ystad), so for them only ``by_unit=False`` applies.
    ``by_signature=False`` leaves out the signers, for a caller that has excluded them in bulk."""
    if case.created_by_id == user.pk:
        return True
    if by_unit and user.unit_id:
        units = [u for u in [case.applicant_unit, *case.units.all()] if u is not None]
        if any(is_within(user.unit, unit) for unit in units):
            return True
    return by_signature and case.signatures.filter(signer=user).exists()


@dataclass(frozen=True)
class RecordedStep:
    """A step that stands for a record another app keeps (Ale's payout plan and its approval, in
    the fund). ``record(case)`` returns (who made the record, a comment saying when) once it
    exists, else None; ``where`` tells the user where the record is made. (How a walk makes the
    record, for the demo and the lifecycle tests, is the demo's business: demo.walk.RECORD_MAKERS.)"""

    record: Callable
    where: str


# (stage, step key) -> RecordedStep, registered by the app that keeps the record.
RECORDED_STEPS = {}


def register_recorded_step(stage, key, *, record, where):
    RECORDED_STEPS[(stage, key)] = RecordedStep(record, where)


def recorded_step(step):
    return RECORDED_STEPS.get((step.stage, step.key))


def complete_recorded_steps(case):
    """Mark done each pending step of the stage the case is in whose record now exists, as done
    by whoever made the record: one fact is recorded once, and the step follows it. Called when a
    stage begins (the record may be older: a payout plan approved before the project start) and
    when such a record is made. The order of the stage's steps does not hold these back; the
    record keeps its own order (a payout plan is approved only once written). Returns the steps."""
    stage = STAGE_BEGUN_BY_STATE.get(case.state)
    if stage is None:
        return []
    case = _lock(case)
    done = []
    for step in case.current_steps(stage):
        recorded = recorded_step(step)
        made = recorded.record(case) if recorded and step.is_pending else None
        if made is not None:
            user, comment = made
            done.append(_record_step(case, step, user, outcome=StepOutcome.POSITIVE, comment=comment))
    return done


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
    # A unit's signing step waits for the unit's designated head or deputies, whatever their role.
    signs_for_unit: bool = field(default=False, compare=False)
    # Waiting for named people rather than everyone of the role (a project's report: its manager
    # and owners), shown as ``who``.
    people: frozenset = field(default=frozenset(), compare=False)
    who: str = field(default="", compare=False)


# What a running project waits for is kept by the apps above this one (the reporting app: its
# reports). Each registers a reader, case -> [Waiting], and the lookups it reads, which the lists
# prefetch so that they stay at a fixed number of queries.
PROJECT_WAITS = []
PROJECT_WAIT_PREFETCHES = []


def register_project_waits(reader, *, prefetch=()):
    PROJECT_WAITS.append(reader)
    PROJECT_WAIT_PREFETCHES.extend(prefetch)


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
    }
    if (
        state in (S.SUBMITTED, S.RESUBMITTED)
        and rules.stages.application.board_informed
        and not _has_board_notice(case)
    ):
        return [
            Waiting(
                rules.stages.application.board_informed.recorded_by, _("Registrera att berörd nämnd har informerats.")
            )
        ]
    if state in simple:
        role, reason = simple[state]
        return [Waiting(role, reason)]
    if state in RUNNING_STATES or state == S.FINAL_REPORT:
        # After the final report the receiver still reviews it while the project writes the
        # evaluations the rule set requires.
        waits = [waiting for reader in PROJECT_WAITS for waiting in reader(case)]
        return [*waits, _waiting_for_evaluation(case)] if state == S.FINAL_REPORT else waits
    stage = STAGE_BEGUN_BY_STATE.get(state)
    if stage is None:
        return []
    return _waiting_in_stage(case, stage)


def _waiting_in_stage(case, stage):
    """Whom a stage with steps waits for: its first pending steps, then whoever ends the stage."""
    rules = case.rules
    steps = case.current_steps(stage)
    pending = [s for s in steps if s.blocks]
    if pending:
        first_group = min(s.group for s in pending)
        return [
            Waiting(s.actor_role, _("Steg: %(step)s.") % {"step": s}, s.unit_id, signs_for_unit=s.action == "sign")
            for s in pending
            if s.group == first_group
        ]
    owners = {
        "idea": (rules.idea_review_role, _("Idéprövningens steg är klara: godkänn eller avslå idén.")),
        "preparation": (rules.decision_basis_role, _("Beredningens steg är klara: markera klar för beslut.")),
        "start": (rules.applicant_role, _("Startkraven är uppfyllda: projektet kan startas.")),
        "abort": (rules.abort_decision_role, _("Förslag om avbrott väntar på beslut.")),
        "implementation": (rules.implementation_role, _("Beslut om implementering saknas.")),
    }
    role, reason = owners[stage]
    board = responsible_board(case) if stage == "implementation" and role == Role.BOARD else None
    if board is not None:
        return [Waiting(role, _("%(board)s har inte beslutat om implementering.") % {"board": board.name}, board.pk)]
    return [Waiting(role, reason)]


def _waiting_for_evaluation(case):
    """After the final report the project writes and hands in the evaluations the rule set
    requires (the applicant answers for the follow-up and evaluation); then the preparing group
    takes them in and marks the case evaluated."""
    missing = missing_evaluation_names(case)
    if missing:
        return Waiting(
            case.rules.applicant_role,
            _("Slutrapporten är inlämnad: %(evaluations)s ska skrivas och lämnas in.") % {"evaluations": missing},
        )
    return Waiting(
        case.rules.preparation_role, _("Utvärderingen är inlämnad: ta emot den och markera utvärdering klar.")
    )


def responsible_board(case):
    """The nämnd responsible for the unit that applied and runs the effort: the first nämnd at or
    above the applicant unit, or None where there is none. Where nämnd representatives decide
    (Norrköping's ansvarig nämnd decides on implementation), the decision is this nämnd's."""
    return next((unit for unit in upwards(case.applicant_unit) if unit.kind == UnitKind.NAMND), None)


def speaks_for_responsible_board(case, user):
    """Whether ``user`` may act for the case's responsible nämnd: a representative of that nämnd,
    or, where the applicant unit lies under no nämnd, any representative."""
    board = responsible_board(case)
    if board is None:
        return True
    return user.unit_id is not None and is_within(user.unit, board)


def units_signed_for_by(user):
    """The ids of the units ``user`` heads or deputises for, read once per user object."""
    if not hasattr(user, "_units_signed_for"):
        user._units_signed_for = (
            set(OrganisationalUnit.objects.filter(Q(head=user) | Q(deputies=user)).values_list("pk", flat=True))
            if user.is_authenticated
            else set()
        )
    return user._units_signed_for


def _has_board_notice(case):
    """Whether the nämnd has been informed; lists read it from cases_for_list's annotation."""
    known = getattr(case, "has_board_notice", None)
    return case.board_notices.exists() if known is None else known


def waiting_on_user(case, user):
    """The reasons the case waits for this user (empty if it does not)."""
    reasons = []
    for waiting in waiting_for(case):
        if waiting.people:
            if user.pk in waiting.people:
                reasons.append(waiting.reason)
            continue
        if waiting.signs_for_unit and waiting.unit_id:
            if waiting.unit_id in units_signed_for_by(user):
                reasons.append(waiting.reason)
            continue
        if not waiting.role or not user.has_role(waiting.role):
            continue
        if waiting.role == "applicant" and not is_case_participant(user, case):
            continue
        if waiting.unit_id and waiting.role == "board" and waiting.unit_id != user.unit_id:
            continue  # a nämnd representative is waited on for their own nämnd only
        if waiting.unit_id and user.unit_id and waiting.unit_id != user.unit_id:
            continue
        reasons.append(waiting.reason)
    return reasons


def cases_for_list(user):
    """The user's cases with what every list needs, in a fixed number of queries."""
    return (
        Case.objects.visible_to(user)
        .select_related("applicant_unit__parent__parent", "municipality", "created_by")
        .prefetch_related("ruleset_version", "units", "steps__unit", "evaluations")
        .annotate(has_board_notice=Exists(BoardNotice.objects.filter(case=OuterRef("pk"))))
    )


def cases_with_waits(user):
    """cases_for_list with what a running project's waits read, for the lists that show them."""
    return cases_for_list(user).prefetch_related(*PROJECT_WAIT_PREFETCHES)


def cases_waiting_for(user):
    """(case, reasons) for every open case that waits for this user, oldest change first."""
    cases = cases_with_waits(user).exclude(state__in=CLOSED_STATES).order_by("updated_at")
    result = []
    for case in cases:
        reasons = waiting_on_user(case, user)
        if reasons:
            result.append((case, reasons))
    return result


def case_history(case):
    return AuditEntry.objects.for_object(case).order_by("at", "id")


def _ensure_editor(case, user):
    if not is_case_applicant(user, case):
        raise PermissionDenied(_("Bara sökande som deltar i ärendet kan ändra det."))
    if not case.is_editable:
        raise TransitionRefusedError(
            _("Ärendet kan inte ändras när dess status är ”%(state)s”.") % {"state": case.get_state_display()}
        )


@transaction.atomic
def create_case(user, *, title, applicant_unit=None):
    """A new case in the user's municipality under the rule set in force: an idea where the rule
    set has idea review, otherwise an application draft."""
    municipality = user.municipality
    ruleset = municipality.active_ruleset if municipality else None
    if ruleset is None or not user.has_role(ruleset.rules.applicant_role):
        raise PermissionDenied(_("Bara sökande i en kommun med ett gällande regelverk kan skapa ärenden."))
    uses_idea = ruleset.rules.uses_idea_stage
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
    before = signed_content_if_signed(case)
    for name, value in fields.items():
        setattr(case, name, value)
    case.save()
    if units is not None:
        case.units.set(units)
    if external_actors is not None:
        case.external_actors.set(external_actors)
    if costs is not None:
        case.costs.all().delete()
        case.costs.bulk_create(
            [CaseCost(case=case, year=year, amount=amount) for year, amount in sorted(costs.items())]
        )
    record(case, "case.saved", actor=user, data={"fields": sorted(fields)})
    void_signatures_after_change(case, user, before)
    return case


def _signed_content(case):
    return signed_content(Case.objects.get(pk=case.pk))


def signed_content_if_signed(case):
    """What the valid signatures cover, read before a change; None if nothing is signed."""
    return _signed_content(case) if case.signatures.filter(voided_at__isnull=True).exists() else None


def void_signatures_after_change(case, user, before):
    """Any change after signing voids every signature: content, costs, participants or
    attachments. ``before`` is ``signed_content`` from before the change (None: nothing was
    signed). The voided signatures stay visible with the reason; each voiding is in the history
    and the signers are told. Returns the voided signatures."""
    if before is None or case.state not in SIGNABLE_STATES:
        # Once decided, the application is the one signed and snapshotted: later follow-up work
        # (the mätplan completed at the project's start) does not reopen it.
        return []
    parts = changed_parts(before, _signed_content(case))
    if not parts:
        return []
    reason = _("Ansökan ändrades efter underskriften: %(parts)s.") % {"parts": ", ".join(parts)}
    voided = list(case.signatures.filter(voided_at__isnull=True).select_related("signer"))
    url = reverse("applications:detail", args=[case.pk])
    for signature in voided:
        signature.voided_at = timezone.now()
        signature.void_reason = reason
        signature.save(update_fields=["voided_at", "void_reason"])
        record(
            case,
            "case.signature_voided",
            actor=user,
            reason=reason,
            data={"signed_for": signature.signed_for, "signer": signature.signatory, "changed": parts},
        )
        if signature.signer and signature.signer != user:
            text = _("Din underskrift på %(case)s för %(unit)s är ogiltig: %(reason)s Skriv under igen.") % {
                "case": case,
                "unit": signature.signed_for,
                "reason": reason,
            }
            notify(signature.signer, NotificationKind.SIGNATURE_REQUESTED, text, case=case, url=url)
    return voided


def request_signatures(case, user):
    """Ask the designated head and the named deputies of each unit whose signature is missing to
    sign. A partner signs on paper, so it is not asked here. Returns who was asked."""
    if not is_case_participant(user, case):
        raise TransitionRefusedError(_("Bara sökande i ärendet kan be om underskrifter."))
    asked = []
    url = reverse("applications:detail", args=[case.pk])
    for requirement in missing_signatures_of(case):
        if not requirement.unit_id:
            continue
        unit = unit_of(requirement)
        signers = [person for person in [unit.head, *unit.deputies.all()] if person is not None]
        for head in dict.fromkeys(signers):
            if head == user or not head.is_active:
                continue
            text = _("%(user)s ber dig skriva under ansökan %(case)s för %(unit)s.") % {
                "user": user,
                "case": case,
                "unit": requirement.signed_for,
            }
            notify(head, NotificationKind.SIGNATURE_REQUESTED, text, case=case, url=url)
            asked.append(head)
    return asked


def _requirement(case, requirement_key):
    requirement = next((r for r in required_signatures(case) if r.key == requirement_key), None)
    if requirement is None:
        raise TransitionRefusedError(_("Regelverket kräver ingen sådan underskrift i det här ärendet."))
    return requirement


@transaction.atomic
def sign(case, requirement_key, user):
    """Sign the application as it reads now, for the unit of ``requirement_key``, as the unit's
    designated head ("förvaltningschef för X") or a named deputy ("ersättare för
    förvaltningschefen för X"). Refused for anyone else, and for a partner (see
    ``record_paper_signature``)."""
    case = _lock(case)
    requirement = _requirement(case, requirement_key)
    allowed, reason = may_sign(case, requirement, user)
    if not allowed:
        raise TransitionRefusedError(reason)
    signature = Signature.objects.create(
        case=case,
        requirement=requirement.key,
        signed_for=requirement.signed_for,
        signer=user,
        signer_capacity=signer_capacity(requirement, unit_of(requirement), user),
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
    approve_signed_steps(case)
    return signature


def recorder_capacity(user, municipality):
    """How a municipal employee who records a paper signature is named: their title, or their
    employment."""
    if user.title:
        return _("%(title)s, %(municipality)s") % {"title": user.title, "municipality": municipality}
    return _("anställd i %(municipality)s") % {"municipality": municipality}


@transaction.atomic
def record_paper_signature(case, requirement_key, user, *, signatory_name, signatory_title, signed_on, document):
    """Record a partner's signature given on paper: the signed application as a PDF, who signed
    it for the partner and when. Marked so ("undertecknad på papper, registrerad av X"): the
    municipal employee who records it never appears as the partner's signatory. Refused (nothing
    written) for a unit, for someone who neither takes part in the case nor prepares it, without
    a name, with a date in the future, or without a PDF."""
    case = _lock(case)
    requirement = _requirement(case, requirement_key)
    allowed, reason = may_record_paper_signature(case, requirement, user)
    if not allowed:
        raise TransitionRefusedError(reason)
    if not signatory_name.strip():
        raise SignatureRefusedError(
            _("Ange vem hos %(actor)s som skrev under.") % {"actor": requirement.signed_for}, "signatory_name"
        )
    if signed_on is None or signed_on > timezone.localdate():
        raise SignatureRefusedError(
            _("Ange dagen då ansökan undertecknades (inte ett senare datum än i dag)."), "signed_on"
        )
    if signed_on < timezone.localtime(case.created_at).date():
        raise SignatureRefusedError(
            _("Ansökan skapades %(created)s; den kan inte ha undertecknats före det.")
            % {"created": timezone.localtime(case.created_at).date().isoformat()},
            "signed_on",
        )
    if document is None or os.path.splitext(document.name)[1].lower() != ".pdf":
        raise SignatureRefusedError(_("Ladda upp den undertecknade ansökan som PDF."), "document")
    problem = upload_problem(document, settings.MAX_UPLOAD_MB)
    if problem:
        raise SignatureRefusedError(problem, "document")
    title = signatory_title.strip()
    signature = Signature.objects.create(
        case=case,
        requirement=requirement.key,
        signed_for=requirement.signed_for,
        method=SignatureMethod.PAPER,
        signer=None,
        signer_capacity=(_("%(title)s för %(actor)s") % {"title": title, "actor": requirement.signed_for})
        if title
        else (_("för %(actor)s") % {"actor": requirement.signed_for}),
        signatory_name=signatory_name.strip(),
        signed_on=signed_on,
        document=document,
        recorded_by=user,
        recorded_by_capacity=recorder_capacity(user, case.municipality),
        fingerprint=content_fingerprint(case),
    )
    record(
        case,
        "case.signed_on_paper",
        actor=user,
        data={
            "signed_for": signature.signed_for,
            "signatory": signature.signatory_name,
            "capacity": signature.signer_capacity,
            "signed_on": signed_on.isoformat(),
            "file": os.path.basename(signature.document.name),
            "fingerprint": signature.fingerprint,
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
    before = signed_content_if_signed(case)
    attachment = CaseAttachment.objects.create(
        case=case,
        file=upload,
        original_name=os.path.basename(upload.name),
        size=upload.size,
        content_type=ALLOWED_UPLOADS[os.path.splitext(upload.name)[1].lower()][0],
        uploaded_by=user,
    )
    record(case, "case.attachment", actor=user, data={"file": attachment.original_name, "size": attachment.size})
    void_signatures_after_change(case, user, before)
    return attachment


@transaction.atomic
def record_board_notice(case, user, *, board, informed_on, informed_by):
    """Record which nämnd was informed of the application, when and by whom. Refused, with
    nothing written, if the user may not record it, the nämnd is not one of the case's
    municipality of a kind the rule set names, the date is in the future or nobody is named.
    Side effect: the case history tells it."""
    case = _lock(case)
    allowed, reason = RECORD_BOARD_NOTICE.check(user, case)
    if not allowed:
        raise BoardNoticeRefusedError(reason)
    kinds = case.rules.stages.application.board_informed.unit_kinds
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


@transaction.atomic
def remove_attachment(case, user, attachment_id):
    """Remove an attachment from an application that can still be changed. Voids every signature
    given while it was attached. Side effects: deletes the file once the transaction commits."""
    case = _lock(case)
    _ensure_editor(case, user)
    attachment = CaseAttachment.objects.filter(case=case, pk=attachment_id).first()
    if attachment is None:
        raise TransitionRefusedError(_("Bilagan finns inte i ärendet."))
    before = signed_content_if_signed(case)
    name, file = attachment.original_name, attachment.file
    attachment.delete()
    record(case, "case.attachment_removed", actor=user, data={"file": name})
    void_signatures_after_change(case, user, before)
    transaction.on_commit(lambda: file.delete(save=False))
    return name
