"""Decisions dated and numbered as in a protocol, and a grant that is only ever a decision."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from applications.enums import CaseState as S
from applications.models import Case
from applications.services.content import create_case
from audit.models import AuditEntry
from decisions.models import Decision, DecisionKind
from decisions.services import DecisionRefusedError, asked_total, issue_decision_documents, record_decision
from demo.walk import walk_to
from funds import services as funds
from funds.models import LedgerEntry
from tests.funds.conftest import accepted_report, set_up_fund

from .test_decisions import pdf_text, split_of

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 9, 15)


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


@pytest.fixture
def ready_case(people, today):
    users = people("ystad")
    case = walk_to(create_case(users["applicant"], title="Närvaro"), S.READY_FOR_DECISION, users)
    return case, users


def grant(case, users, **overrides):
    arguments = {
        "cases": [case],
        "kind": DecisionKind.GRANT,
        "meeting_date": TODAY,
        "paragraph": "212",
        "reason": "Uppfyller kriterierna.",
        "amounts": {case.pk: (asked_total(case), split_of(case))},
        **overrides,
    }
    return record_decision(users["decision_body"], **arguments)


def decision_post(case, **fields):
    """What the decision form posts for a grant of what the case asks, split as asked."""
    years = {f"year_{case.pk}_{year}": str(amount) for year, amount in split_of(case).items()}
    return {
        "kind": "grant",
        "meeting_date": "2026-09-15",
        "paragraph": "212",
        f"total_{case.pk}": str(asked_total(case)),
        "reason": "Uppfyller kriterierna.",
        **years,
        **fields,
    }


def unchanged(case):
    return (
        Case.objects.get(pk=case.pk).state,
        Decision.objects.count(),
        LedgerEntry.objects.count(),
        AuditEntry.objects.for_object(case).count(),
    )


@pytest.mark.parametrize("typed", [212, "212", "§ 212", "§212", " 212 "])
def test_paragraph_is_stored_as_a_number_and_printed_once(ready_case, tmp_path, typed):
    case, users = ready_case

    decision = grant(case, users, paragraph=typed)
    documents = issue_decision_documents(decision, users["decision_body"])

    decision.refresh_from_db()
    assert decision.paragraph == 212
    assert str(decision) == "Kommunstyrelsen 2026-09-15 § 212"
    for document in documents:
        text = pdf_text(document, tmp_path)
        assert "§ 212" in text
        assert "§ §" not in text
    history = AuditEntry.objects.for_object(case).get(action="decision.recorded")
    assert history.data["decision"] == "Kommunstyrelsen 2026-09-15 § 212"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Ange paragrafnummer (§)."),
        ("§", "Ange paragrafnummer (§)."),
        ("0", "Paragrafen anges som ett positivt heltal, till exempel 212 (inte 0)."),
        ("12a", "Paragrafen anges som ett positivt heltal, till exempel 212 (inte 12a)."),
        ("-3", "Paragrafen anges som ett positivt heltal, till exempel 212 (inte -3)."),
    ],
)
def test_paragraph_that_is_not_a_positive_number_is_refused(ready_case, typed, message):
    case, users = ready_case
    before = unchanged(case)

    with pytest.raises(DecisionRefusedError) as refusal:
        grant(case, users, paragraph=typed)

    assert (str(refusal.value), refusal.value.field) == (message, "paragraph")
    assert unchanged(case) == before


def test_paragraph_taken_at_the_same_meeting_is_refused(people, today):
    users = people("heby")
    first, second = (walk_to(create_case(users["applicant"], title=t), S.READY_FOR_DECISION, users) for t in "AB")
    grant(first, users, paragraph="7")
    before = unchanged(second)

    with pytest.raises(DecisionRefusedError) as refusal:
        grant(second, users, paragraph="§ 7")

    assert (str(refusal.value), refusal.value.field) == (
        "§ 7 vid sammanträdet 2026-09-15 är redan använd.",
        "paragraph",
    )
    assert unchanged(second) == before
    grant(second, users, paragraph="8")
    assert Case.objects.get(pk=second.pk).state == S.GRANTED


def test_meeting_after_today_is_refused(ready_case):
    case, users = ready_case
    before = unchanged(case)

    with pytest.raises(DecisionRefusedError) as refusal:
        grant(case, users, meeting_date=TODAY + datetime.timedelta(days=1))

    assert (str(refusal.value), refusal.value.field) == (
        "Sammanträdesdagen 2026-09-16 har inte varit än; ett beslut protokollförs efter sammanträdet.",
        "meeting_date",
    )
    assert unchanged(case) == before


def test_meeting_before_the_application_came_in_is_refused(ready_case, time_machine):
    case, users = ready_case
    time_machine.move_to("2026-10-01 10:00 +02:00")
    before = unchanged(case)

    with pytest.raises(DecisionRefusedError) as refusal:
        grant(case, users, meeting_date=datetime.date(2026, 9, 14))

    assert (str(refusal.value), refusal.value.field) == (
        f"Sammanträdesdagen 2026-09-14 ligger före den dag ansökan {case.number} kom in, 2026-09-15.",
        "meeting_date",
    )
    assert unchanged(case) == before
    grant(case, users, meeting_date=datetime.date(2026, 9, 15))
    assert Case.objects.get(pk=case.pk).state == S.GRANTED


@pytest.mark.parametrize("name", ["grant", "reject"])
def test_grant_or_reject_by_the_transition_url_is_refused_and_changes_nothing(client, ready_case, name):
    case, users = ready_case
    client.force_login(users["decision_body"])
    before = unchanged(case)

    response = client.post(
        reverse("applications:transition", args=[case.pk, name]),
        {"reason": "Bevilja direkt.", "expected_state": S.READY_FOR_DECISION},
        follow=True,
    )

    assert (
        "Ärendet beviljas eller avslås bara genom beslutsorganets protokollförda beslut." in response.content.decode()
    )
    assert unchanged(case) == before
    assert not case.decision_lines.exists()


def test_case_page_offers_the_decision_form_not_bare_buttons(client, ready_case):
    case, users = ready_case
    client.force_login(users["decision_body"])

    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    assert reverse("decisions:record", args=[case.pk]) in html
    assert reverse("applications:transition", args=[case.pk, "grant"]) not in html
    assert reverse("applications:transition", args=[case.pk, "reject"]) not in html


def test_case_granted_through_the_decision_form_can_be_paid_out(client, ready_case):
    case, users = ready_case
    set_up_fund(users, reserved=5_000_000, appropriations={2026: 1_000_000, 2027: 1_000_000, 2028: 1_000_000})
    client.force_login(users["decision_body"])
    client.post(reverse("decisions:record", args=[case.pk]), decision_post(case, paragraph="§ 12"))
    case = Case.objects.get(pk=case.pk)
    year = min(split_of(case))
    accepted_report(case, {year: 100_000})  # where the payout is a budget compensation, a report states the cost

    entry = funds.record_payout(case, users["controller"], amount=Decimal("100000"), year=year, reference="Rapport 1")

    assert case.state == S.GRANTED
    assert entry.amount == Decimal("100000.00")
    assert entry.case_id == case.pk


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("meeting_date", "2026-09-16", "Sammanträdesdagen 2026-09-16 har inte varit än"),
        ("meeting_date", "", "Ange sammanträdesdagen."),
        ("meeting_date", "15/9", "Ange sammanträdesdagen (ÅÅÅÅ-MM-DD)."),
        ("meeting_date", "2026-09-14", "Sammanträdesdagen 2026-09-14 ligger före den dag ansökan"),
        ("paragraph", "§ § 9x", "Paragrafen anges som ett positivt heltal"),
        ("reason", "", "Skriv beslutets motivering."),
    ],
)
def test_refused_decision_form_keeps_what_was_typed_and_shows_the_error_by_its_field(
    client, ready_case, field, typed, message
):
    case, users = ready_case
    client.force_login(users["decision_body"])
    before = unchanged(case)
    posted = decision_post(case, conditions="Rapport varje halvår.", **{field: typed})

    response = client.post(reverse("decisions:record", args=[case.pk]), posted)

    form = response.context["form"]
    assert response.status_code == 400
    assert list(form.errors) == [field]
    assert form.errors[field][0].startswith(message)
    assert {name: form[name].value() for name in ("paragraph", "conditions", f"total_{case.pk}")} == {
        "paragraph": posted["paragraph"],
        "conditions": "Rapport varje halvår.",
        f"total_{case.pk}": posted[f"total_{case.pk}"],
    }
    assert unchanged(case) == before


def test_grant_above_the_asked_sum_by_the_form_is_shown_by_the_total(client, ready_case):
    case, users = ready_case
    client.force_login(users["decision_body"])
    before = unchanged(case)

    response = client.post(
        reverse("decisions:record", args=[case.pk]), decision_post(case, **{f"total_{case.pk}": "9 000 000"})
    )

    form = response.context["form"]
    assert form.errors == {
        f"total_{case.pk}": [
            f"{case.number}: beviljat belopp 9\xa0000\xa0000\xa0kr är högre än det sökta, 1\xa0500\xa0000\xa0kr."
        ]
    }
    assert form[f"total_{case.pk}"].value() == "9 000 000"
    assert unchanged(case) == before


def test_decision_form_by_someone_other_than_the_decision_body_is_refused(client, ready_case):
    case, users = ready_case
    client.force_login(users["preparer"])
    before = unchanged(case)

    response = client.post(reverse("decisions:record", args=[case.pk]), decision_post(case))

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Bara Kommunstyrelsen kan fatta beslutet."]
    assert unchanged(case) == before
    assert client.get(reverse("decisions:record", args=[case.pk])).status_code == 404
