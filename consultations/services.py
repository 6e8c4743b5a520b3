"""Consultations (remisser): ask nämnder for their view, delegate where the rule set allows, answer."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.enums import StepOutcome, state_clause
from applications.models import Case
from applications.selectors import takes_part_in_case, unit_position_step
from applications.services import TransitionRefusedError
from applications.services.steps import complete_unit_step_by_answer
from audit.services import record
from municipalities.rulebook.enums import Role, Stage
from municipalities.units import is_within, subtree_ids
from notifications.models import NotificationKind
from notifications.services import notify

from .models import OPEN_FOR_CONSULTATION, Consultation, Position

# A remiss answer is the nämnd's position: it completes the nämnd's step with this outcome.
STEP_OUTCOME_OF_POSITION = {
    Position.SUPPORT: StepOutcome.POSITIVE,
    Position.SUPPORT_WITH_CONDITIONS: StepOutcome.POSITIVE,
    Position.OBJECT: StepOutcome.NEGATIVE,
}


def delegation_allowed(case):
    """Whether the rule set lets a board delegate its position (Sundsvall's facknämnder may)."""
    return any(
        step.may_delegate and step.actor_role == Role.BOARD
        for stage in (Stage.IDEA, Stage.PREPARATION)
        for step in case.rules.listed_steps(stage)
    )


def may_request_consultation(case, user):
    role = case.rules.preparation_role
    return user.municipality_id == case.municipality_id and user.has_role(role)


def _speaks_for(consultation, user):
    """The named delegate, or else a representative of the nämnd itself: a board member whose
    unit is the nämnd or lies beneath it. A representative speaks only for their own nämnd."""
    if user.municipality_id != consultation.case.municipality_id:
        return False
    if consultation.delegate_id:
        return user.pk == consultation.delegate_id
    return user.has_role("board") and user.unit_id is not None and is_within(user.unit, consultation.unit)


def may_answer(consultation, user):
    if consultation.is_answered:
        return False, _("Remissen är redan besvarad.")
    if consultation.case.state not in OPEN_FOR_CONSULTATION:
        return False, _("Remissvar tas inte längre emot när %(state)s.") % {
            "state": state_clause(consultation.case.state)
        }
    if not _speaks_for(consultation, user):
        return False, _("Bara %(unit)s eller den som fått delegation kan svara.") % {"unit": consultation.unit.name}
    if takes_part_in_case(consultation.case, user, by_unit=consultation.delegate_id is not None):
        return False, _("Du deltar i ärendet och är jävig: du kan inte svara för %(unit)s.") % {
            "unit": consultation.unit.name
        }
    taken = unit_position_step(consultation.case, consultation.unit)
    if taken is not None and not taken.is_pending:
        return False, _("%(unit)s har redan tagit ställning i ärendet (%(step)s, %(outcome)s).") % {
            "unit": consultation.unit.name,
            "step": taken.name,
            "outcome": taken.get_outcome_display(),
        }
    return True, ""


def delegation_candidates(consultation):
    """Whom the nämnd may delegate its position to: its own members and the officials of the
    units beneath it, never anyone who takes part in the case (jäv)."""
    case = consultation.case
    people = (
        User.objects.filter(municipality=case.municipality_id, is_active=True, unit__in=subtree_ids(consultation.unit))
        .exclude(pk=case.created_by_id)
        .exclude(pk__in=case.signatures.values("signer"))
        .select_related("unit__parent__parent")
        .order_by("full_name", "pk")
    )
    return [person for person in people if not takes_part_in_case(case, person, by_signature=False)]


@transaction.atomic
def request_consultation(case, user, *, units, question, deadline):
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not may_request_consultation(case, user):
        raise TransitionRefusedError(
            _("Bara %(body)s kan skicka remisser.") % {"body": case.rules.body_name(case.rules.preparation_role)}
        )
    if case.state not in OPEN_FOR_CONSULTATION:
        raise TransitionRefusedError(
            _("Ärendet kan inte remitteras när dess status är ”%(state)s”.") % {"state": case.get_state_display()}
        )
    if deadline <= timezone.localdate():
        raise TransitionRefusedError(_("Svarsdatum måste vara efter i dag."))
    if not units:
        raise TransitionRefusedError(_("Välj minst en remissinstans."))
    if any(unit.municipality_id != case.municipality_id for unit in units):
        raise TransitionRefusedError(_("Remissinstansen måste höra till kommunen."))
    created = []
    for unit in units:
        consultation = Consultation.objects.create(
            case=case, unit=unit, question=question, deadline=deadline, requested_by=user
        )
        created.append(consultation)
        record(case, "consultation.requested", actor=user, data={"unit": unit.name, "deadline": deadline.isoformat()})
        text = _("%(unit)s ombeds yttra sig över %(case)s senast %(deadline)s.") % {
            "unit": unit.name,
            "case": case,
            "deadline": deadline.isoformat(),
        }
        for recipient in case.municipality.members.filter(
            role_assignments__role="board", is_active=True, unit__in=subtree_ids(unit)
        ):
            notify(
                recipient,
                NotificationKind.CONSULTATION_REQUESTED,
                text,
                case=case,
                url=reverse("applications:detail", args=[case.pk]) + f"#consultation-{consultation.pk}",
            )
    return created


@transaction.atomic
def delegate(consultation, user, delegate_user):
    consultation = (
        Consultation.objects.select_for_update(of=("self",)).select_related("case", "unit").get(pk=consultation.pk)
    )
    case = consultation.case
    if not delegation_allowed(case):
        raise TransitionRefusedError(_("Regelverket medger inte att ställningstagandet delegeras."))
    if consultation.is_answered or consultation.delegate_id or not _speaks_for(consultation, user):
        raise TransitionRefusedError(
            _("Bara %(unit)s kan delegera en obesvarad remiss.") % {"unit": consultation.unit.name}
        )
    if delegate_user.municipality_id != case.municipality_id:
        raise TransitionRefusedError(_("Den som får delegation måste höra till kommunen."))
    if takes_part_in_case(case, delegate_user):
        raise TransitionRefusedError(
            _("%(name)s deltar i ärendet och är jävig: ställningstagandet kan inte delegeras dit.")
            % {"name": delegate_user}
        )
    if not (delegate_user.unit_id and is_within(delegate_user.unit, consultation.unit)):
        raise TransitionRefusedError(
            _("%(name)s hör inte till %(unit)s: delegation ges bara till nämndens egna ledamöter och tjänstepersoner.")
            % {"name": delegate_user, "unit": consultation.unit.name}
        )
    consultation.delegate = delegate_user
    consultation.save(update_fields=["delegate"])
    record(
        case,
        "consultation.delegated",
        actor=user,
        data={"unit": consultation.unit.name, "delegate": str(delegate_user)},
    )
    notify(
        delegate_user,
        NotificationKind.CONSULTATION_REQUESTED,
        _("%(unit)s har delegerat sitt ställningstagande om %(case)s till dig.")
        % {"unit": consultation.unit.name, "case": case},
        case=case,
        url=reverse("applications:detail", args=[case.pk]) + f"#consultation-{consultation.pk}",
    )
    return consultation


@transaction.atomic
def answer(consultation, user, *, position, text):
    case = Case.objects.select_for_update().get(pk=consultation.case_id)
    consultation = Consultation.objects.select_for_update(of=("self",)).select_related("unit").get(pk=consultation.pk)
    consultation.case = case
    if position not in Position.values:
        raise TransitionRefusedError(_("Välj ett ställningstagande."))
    if position == Position.SUPPORT_WITH_CONDITIONS and not text.strip():
        raise TransitionRefusedError(_("Ange villkoren i svaret."))
    allowed, reason = may_answer(consultation, user)
    if not allowed:
        raise TransitionRefusedError(reason)
    consultation.position = position
    consultation.answer = text
    consultation.answered_by = user
    consultation.answered_at = timezone.now()
    consultation.save()
    record(
        consultation.case,
        "consultation.answered",
        actor=user,
        reason=text,
        data={"unit": consultation.unit.name, "position": position},
    )
    source = (
        _("remissvar på delegation från %(unit)s") if consultation.delegate_id else _("remissvar från %(unit)s")
    ) % {"unit": consultation.unit.name}
    complete_unit_step_by_answer(
        case,
        consultation.unit,
        user,
        outcome=STEP_OUTCOME_OF_POSITION[position],
        comment=f"{Position(position).label}. {text}" if text.strip() else str(Position(position).label),
        source=source,
    )
    return consultation


def _answerers(consultation):
    if consultation.delegate_id:
        return [consultation.delegate]
    members = consultation.case.municipality.members.filter(role_assignments__role="board", is_active=True)
    return list(members.filter(unit__in=subtree_ids(consultation.unit)))


def remind_deadlines_near(*, days=3, today=None):
    """Remind whoever must answer a consultation whose deadline is at most ``days`` away. Each
    consultation is reminded once: running this twice, or in two workers, sends nothing twice."""
    today = today or timezone.localdate()
    due = Consultation.objects.filter(
        answered_at__isnull=True,
        reminded_at__isnull=True,
        deadline__gte=today,
        deadline__lte=today + timezone.timedelta(days=days),
        case__state__in=OPEN_FOR_CONSULTATION,
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in due:
        with transaction.atomic():
            consultation = (
                Consultation.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("case", "unit", "delegate")
                .filter(pk=pk, reminded_at__isnull=True)
                .first()
            )
            if consultation is None:
                continue
            text = _("Påminnelse: %(unit)s ska yttra sig över %(case)s senast %(deadline)s.") % {
                "unit": consultation.unit.name,
                "case": consultation.case,
                "deadline": consultation.deadline.isoformat(),
            }
            url = reverse("applications:detail", args=[consultation.case_id]) + f"#consultation-{consultation.pk}"
            for person in _answerers(consultation):
                notify(person, NotificationKind.DEADLINE_NEAR, text, case=consultation.case, url=url)
            consultation.reminded_at = timezone.now()
            consultation.save(update_fields=["reminded_at"])
            reminded += 1
    return reminded
