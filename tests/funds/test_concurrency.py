"""Two grants decided at the same moment that each fit the fund but together would overdraw it:
the fund row's lock lets exactly one through. PostgreSQL only (SQLite has no row locks)."""

import datetime

from applications.enums import CaseState as S
from applications.models import Case
from applications.services.content import create_case
from core.formatting import format_kronor as fk
from decisions.models import DecisionKind
from decisions.services import record_decision
from demo.walk import walk_to
from funds import selectors as fund_selectors
from funds.enums import EntryKind
from funds.models import LedgerEntry
from tests.applications.test_lifecycle import concurrent, run_at_once
from tests.funds.conftest import kr, set_up_fund, split_of


def grant(case, users, paragraph):
    def call():
        case_now = Case.objects.get(pk=case.pk)
        years = split_of(case_now)
        record_decision(
            users["decision_body"],
            cases=[case_now],
            kind=DecisionKind.GRANT,
            meeting_date=datetime.date(2026, 9, 15),
            paragraph=paragraph,
            reason="Beviljas.",
            amounts={case.pk: (sum(years.values()), years)},
        )
        return case.pk

    return call


@concurrent
def test_two_grants_at_once_cannot_overdraw_the_fund(people, today):
    users = people("norrkoping")
    cases = [walk_to(create_case(users["applicant"], title=t), S.READY_FOR_DECISION, users) for t in "AB"]
    asked = [sum(split_of(case).values()) for case in cases]
    fund = set_up_fund(users, reserved=asked[0] + asked[1] - 1)  # each fits, both do not

    results = run_at_once(grant(cases[0], users, "1"), grant(cases[1], users, "2"))

    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    (won,) = [pk for kind, pk in results if kind == "ok"]
    (reason,) = [reason for kind, reason in results if kind == "refused"]
    lost = next(case for case in cases if case.pk != won)
    lost_asked = sum(split_of(lost).values())
    assert reason == (
        f"{Case.objects.get(pk=lost.pk).number}: fonden har {fk(lost_asked - 1)} tillgängligt men beviljandet "
        f"är {fk(lost_asked)}; det saknas 1\xa0kr."
    )
    assert {c.pk: c.state for c in Case.objects.filter(pk__in=[c.pk for c in cases])} == {
        won: S.GRANTED,
        lost.pk: S.READY_FOR_DECISION,
    }
    commitments = LedgerEntry.objects.filter(fund=fund, kind=EntryKind.COMMITMENT)
    assert {e.case_id for e in commitments} == {won}
    assert fund_selectors.fund_balances(fund).available == kr(lost_asked - 1)
