"""Consultations (remisser): ask nämnder for their view, delegate where the rule set allows, answer."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import CaseState
from applications.models import Case
from applications.services import TransitionRefusedError
from audit.services import record
from notifications.models import NotificationKind
from notifications.services import notify

from .models import Consultation, Position

# A case may be sent on consultation while it is prepared; once decided, answers are closed.
OPEN_FOR_CONSULTATION = [
    CaseState.IDEA_IN_REVIEW,
    CaseState.SUBMITTED,
    CaseState.RESUBMITTED,
    CaseState.IN_PREPARATION,
    CaseState.READY_FOR_DECISION,
]


def delegation_allowed(case):
    """Whether the rule set lets a board delegate its position (Sundsvall's facknämnder may)."""
    return any(
        step.get("may_delegate") and step["actor_role"] == "board"
        for stage in ("idea", "preparation")
        for step in case.rules.stages[stage].get("steps", [])
    )


def may_request_consultation(case, user):
    role = case.rules.preparation_role
    return user.municipality_id == case.municipality_id and user.has_role(role)


def _speaks_for(consultation, user):
    """The unit's board members (or a board member without a unit), or the named delegate."""
    if consultation.delegate_id:
        return user.pk == consultation.delegate_id
    return (
        user.municipality_id == consultation.case.municipality_id
        and user.has_role("board")
        and user.unit_id in (None, consultation.unit_id)
    )


def may_answer(consultation, user):
    if consultation.is_answered:
        return False, _("Remissen är redan besvarad.")
    if consultation.case.state not in OPEN_FOR_CONSULTATION:
        return False, _("Ärendet är %(state)s; remissvar tas inte längre emot.") % {
            "state": consultation.case.get_state_display()
        }
    if not _speaks_for(consultation, user):
        return False, _("Bara %(unit)s eller den som fått delegation kan svara.") % {"unit": consultation.unit.name}
    return True, ""


@transaction.atomic
def request_consultation(case, user, *, units, question, deadline):
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not may_request_consultation(case, user):
        raise TransitionRefusedError(
            _("Bara %(body)s kan skicka remisser.") % {"body": case.rules.body_name(case.rules.preparation_role)}
        )
    if case.state not in OPEN_FOR_CONSULTATION:
        raise TransitionRefusedError(
            _("Ärendet kan inte remitteras när det är %(state)s.") % {"state": case.get_state_display()}
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
        for recipient in case.municipality.members.filter(role_assignments__role="board").filter(
            unit__in=[unit.pk]
        ) or case.municipality.members.filter(role_assignments__role="board", unit__isnull=True):
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
    consultation = (
        Consultation.objects.select_for_update(of=("self",)).select_related("case", "unit").get(pk=consultation.pk)
    )
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
    return consultation


def _answerers(consultation):
    if consultation.delegate_id:
        return [consultation.delegate]
    members = consultation.case.municipality.members.filter(role_assignments__role="board", is_active=True)
    return list(members.filter(unit=consultation.unit_id)) or list(members.filter(unit__isnull=True))


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
