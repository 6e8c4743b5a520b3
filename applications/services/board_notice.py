"""Recording that the affected nämnd has been informed of the application (Norrköping)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record

from ..models import BoardNotice
from ..rules import RECORD_BOARD_NOTICE
from . import TransitionRefusedError, lock_case


class BoardNoticeRefusedError(TransitionRefusedError):
    """The information to the nämnd could not be recorded."""


@transaction.atomic
def record_board_notice(case, user, *, board, informed_on, informed_by):
    """Record which nämnd was informed of the application, when and by whom. Refused, with
    nothing written, if the user may not record it, the nämnd is not one of the case's
    municipality of a kind the rule set names, the date is in the future or nobody is named.
    Side effect: the case history tells it."""
    case = lock_case(case)
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
