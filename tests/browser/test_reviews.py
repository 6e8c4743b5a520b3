"""A reviewer in Sundsvall scores a case: before submitting she cannot see the other reviewer's
scores or comment, after submitting she sees them; the preparer then orders the ready cases on
the prioritisation page. axe-core runs on every page."""

import re
from decimal import Decimal

import pytest

from accounts.models import User
from applications.enums import CaseState
from applications.services import create_case
from demo.loader import DEMO_DOMAIN, ROLE_LOGINS
from demo.walk import walk_to
from funds import services as funds
from funds.models import Fund
from municipalities.rulebook.enums import CriterionKind, ReviewStage
from reviews.services import assign_reviewer, save_review

TITLE = "Läxhjälp och föräldrastöd i Sundsvall"
OTHER_COMMENT = "Stark kalkyl men svag samverkan."
MY_SCORES = {"resultat": 4, "orsakssamband": 4, "uppskalning": 3, "samverkan": 5, "riskspridning": 3}
MY_SCORES["jamn_konsfordelning"] = 4


@pytest.fixture
def sundsvall_case(demo):
    users = {
        role.value: User.objects.get(email=f"{local}.sundsvall@{DEMO_DOMAIN}") for role, local in ROLE_LOGINS.items()
    }
    case = walk_to(create_case(users["applicant"], title=TITLE), CaseState.IN_PREPARATION, users)
    assign_reviewer(case, users["preparer"], users["management"])
    other = assign_reviewer(case, users["preparer"], users["controller"])
    answers = {
        c.key: (True if c.kind == CriterionKind.YES_NO else 2)
        for c in case.rules.review.criteria_for(ReviewStage.PREPARATION)
    }
    save_review(other, users["controller"], answers=answers, comment=OTHER_COMMENT, submit=True)
    fund = Fund.objects.filter(municipality=case.municipality).first() or funds.create_fund(
        users["controller"], case.municipality
    )
    funds.record_reservation(fund, users["controller"], amount=Decimal("3000000.00"), year=2027, basis="KF § 9")
    return case, users


def log_out(page):
    page.get_by_role("button", name="Logga ut").click()


def test_sundsvall_reviewer_is_blind_until_she_submits(page, live_server, login, axe, artifacts_dir, sundsvall_case):
    case, users = sundsvall_case
    login(page, "ledning.sundsvall@demo.fonden.se")
    page.goto(f"{live_server.url}/arenden/{case.pk}/")
    reviews = page.locator("#bedomningar")
    assert "Du ser de andra bedömningarna när du har lämnat in din egen." in reviews.inner_text()
    assert OTHER_COMMENT not in page.content()
    assert str(users["controller"]) not in reviews.inner_text()
    assert reviews.get_by_role("table").count() == 0
    axe.check(page)

    form = page.get_by_role("form", name="Din bedömning")
    for criterion in case.rules.review.criteria_for(ReviewStage.PREPARATION):
        group = form.get_by_role("group", name=re.compile("^" + re.escape(criterion.title)))
        if criterion.is_score:
            group.get_by_label(re.compile(rf"^{MY_SCORES[criterion.key]}\b")).check()
        else:
            group.get_by_label("Ja", exact=True).check()
    form.get_by_label("Kommentar").fill("Tydlig målgrupp.")
    page.screenshot(path=str(artifacts_dir / "review-form-sundsvall.png"), full_page=True)
    form.get_by_role("button", name="Lämna in bedömning").click()
    page.wait_for_load_state()

    assert page.get_by_text("Din bedömning är inlämnad.").is_visible()
    reviews = page.locator("#bedomningar")
    assert OTHER_COMMENT in reviews.inner_text()
    table = reviews.get_by_role("table")
    assert str(users["controller"]) in table.inner_text()
    resultat = table.get_by_role("row", name=re.compile("^Resultat"))
    # Her 4 and the other reviewer's 2: mean 3, spread 2.
    assert "medel 3,00 (min 2, max 4)" in resultat.inner_text()
    assert "stor spridning" in resultat.inner_text()
    assert "Rekommendation" in reviews.inner_text()
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "review-results-sundsvall.png"), full_page=True)
    log_out(page)

    # The case goes ready for decision; the preparer orders it on the prioritisation page.
    walk_to(case, CaseState.READY_FOR_DECISION, users)
    login(page, "beredare.sundsvall@demo.fonden.se")
    page.goto(f"{live_server.url}/arenden/prioritering/")
    assert page.get_by_role("heading", level=1).inner_text() == "Prioritering"
    assert page.get_by_text("Tidshorisont för mänskliga och ekonomiska vinster").is_visible()
    axe.check(page)
    # The money available is the fund's ledger's, with where it comes from; nothing to type in.
    assert page.locator("#money-source").inner_text().startswith("Tillgängliga medel enligt fondens huvudbok den")
    assert page.get_by_role("link", name="Fondens huvudbok").is_visible()
    assert page.get_by_role("button", name="Spara medel för året").count() == 0
    page.get_by_label("Kommentar till förslaget").fill("Ett ärende i omgången.")
    page.get_by_role("button", name="Spara förslag").click()
    assert page.get_by_text("Förslaget är sparat.").is_visible()
    assert page.get_by_role("row", name=re.compile(re.escape(TITLE))).is_visible()
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "prioritisation-sundsvall.png"), full_page=True)
