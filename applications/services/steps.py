"""Completing the steps inside a stage: by the step form, by a nämnd's answer given elsewhere, by
a head's signature, or by a record another app keeps.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record

from ..enums import STAGE_BEGUN_BY_STATE, CaseState, StepOutcome, StepStatus
from ..models import CaseStep
from ..selectors import may_complete_step, recorded_step, signing_unit_of_step, unit_position_step
from ..signatures import valid_signatures
from . import TransitionRefusedError, lock_case

S = CaseState


class StepRefusedError(TransitionRefusedError):
    """A step was refused because of one of the step form's fields."""


@transaction.atomic
def complete_step(case, step_id, user, *, outcome, comment="", expertise=None):
    """Record that a step is done, positively or not, by ``user``. A negative outcome of a gate
    step stops the stage until the preparing group returns or rejects the case. Where the rule
    set has the step record the expertise consulted, ``expertise`` holds it: a dict of name,
    organisation and contribution; it is stored on the step and in the history."""
    case = lock_case(case)
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


def complete_recorded_steps(case):
    """Mark done each pending step of the stage the case is in whose record now exists, as done
    by whoever made the record: one fact is recorded once, and the step follows it. Called when a
    stage begins (the record may be older: a payout plan approved before the project start) and
    when such a record is made. The order of the stage's steps does not hold these back; the
    record keeps its own order (a payout plan is approved only once written). Returns the steps."""
    stage = STAGE_BEGUN_BY_STATE.get(case.state)
    if stage is None:
        return []
    case = lock_case(case)
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
