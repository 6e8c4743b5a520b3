"""The kinds of entry in a fund's ledger (every balance is a sum over these), and the states in which
a case can be paid."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import CaseState


class EntryKind(models.TextChoices):
    # avsättning: money set aside in equity (or with KS) by a decision of KF or KS.
    RESERVATION = "reservation", _("avsättning")
    # anslag / resultatanslag: the year's budgeted cost room for the fund's efforts.
    APPROPRIATION = "appropriation", _("anslag")
    COMMITMENT = "commitment", _("åtagande (beviljat belopp)")
    # The part of a commitment that will not be paid, given back to the fund by the decision that
    # ended the project (an abort, or the decision on implementation at its end).
    RELEASE = "release", _("frigjort åtagande")
    PAYOUT = "payout", _("utbetalning")
    BUDGET_COMPENSATION = "budget_compensation", _("budgetkompensation")
    CARRY_OVER = "carry_over", _("ombudgetering till nästa år")
    FREEZE = "freeze", _("frysta medel vid årets slut")
    REPAYMENT = "repayment", _("återbetalning")
    WRITE_OFF = "write_off", _("avskrivning")


# Money that leaves the fund to a project.
PAID_KINDS = [EntryKind.PAYOUT, EntryKind.BUDGET_COMPENSATION]

# A case can be paid while it is granted and until its final report.
PAYABLE_STATES = [
    CaseState.GRANTED,
    CaseState.STARTING,
    CaseState.RUNNING,
    CaseState.EXTENDED,
    CaseState.ABORT_PROPOSED,
    CaseState.FINAL_REPORT,
]
