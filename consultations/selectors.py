"""What the pages read of consultations (remisser): what a case waits for in them. Nothing here
writes; the operations are in ``consultations.services``."""

from django.utils.translation import gettext as _

from accounts.enums import Role
from applications.selectors import Waiting, WaitKind, case_url, unit_position_step

from .models import OPEN_FOR_CONSULTATION


def consultation_waits(case):
    """Each unanswered remiss the nämnd (or the official it delegated to) must still answer,
    with its deadline. A nämnd that has taken its position in the stage by other means is no
    longer asked. Reads the case's prefetched consultations (applications.selectors.CASE_WAITS)."""
    if case.state not in OPEN_FOR_CONSULTATION:
        return []
    waits = []
    for consultation in case.consultations.all():
        if consultation.is_answered:
            continue
        taken = unit_position_step(case, consultation.unit)
        if taken is not None and not taken.is_pending:
            continue
        reason = _("Remiss att besvara för %(unit)s, senast %(deadline)s.") % {
            "unit": consultation.unit.name,
            "deadline": consultation.deadline.isoformat(),
        }
        url = case_url(case, f"consultation-{consultation.pk}")
        if consultation.delegate_id:
            waits.append(
                Waiting(
                    "",
                    reason,
                    people=frozenset({consultation.delegate_id}),
                    who=str(consultation.delegate),
                    due=consultation.deadline,
                    url=url,
                    kind=WaitKind.CONSULTATION,
                )
            )
        else:
            waits.append(
                Waiting(
                    Role.BOARD,
                    reason,
                    consultation.unit_id,
                    who=consultation.unit.name,
                    due=consultation.deadline,
                    url=url,
                    kind=WaitKind.CONSULTATION,
                )
            )
    return waits
