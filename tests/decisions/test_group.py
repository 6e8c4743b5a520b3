"""Heby's kommunstyrelse decides several ready cases as one whole at the meeting: one §, each
case's amount split per year, one commitment per case, one minutes extract listing them all."""

import pytest
from django.urls import reverse

from applications.enums import CaseState as S
from applications.models import Case
from applications.services.content import create_case
from audit.models import AuditEntry
from decisions.models import Decision, IssuedDocument
from decisions.services import asked_total
from demo.walk import walk_to
from funds.enums import EntryKind
from funds.models import LedgerEntry
from tests.funds.conftest import set_up_fund

from .test_decisions import pdf_text, split_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


def ready_cases(people, slug, titles=("Familjecentral", "Läxhjälp")):
    users = people(slug)
    cases = [walk_to(create_case(users["applicant"], title=t), S.READY_FOR_DECISION, users) for t in titles]
    return cases, users


def group_post(cases, chosen=None, **fields):
    data = {
        "kind": "grant",
        "meeting_date": "2026-09-15",
        "paragraph": "§ 87",
        "reason": "Insatserna beslutas som en helhet.",
        "cases": [str(case.pk) for case in (chosen if chosen is not None else cases)],
    }
    for case in cases:
        data[f"total_{case.pk}"] = str(asked_total(case))
        data.update({f"year_{case.pk}_{year}": str(amount) for year, amount in split_of(case).items()})
    data.update(fields)
    return data


def nothing_written(cases):
    return (
        [Case.objects.get(pk=c.pk).state for c in cases],
        Decision.objects.count(),
        LedgerEntry.objects.count(),
        IssuedDocument.objects.count(),
    )


def test_heby_decides_two_cases_as_one_whole_with_one_extract(client, people, today, tmp_path):
    cases, users = ready_cases(people, "heby")
    # Heby sets the fund's money aside in the yearly budget: its appropriations are the fund.
    set_up_fund(users, appropriations={2026: 1_000_000, 2027: 1_000_000, 2028: 1_000_000})
    client.force_login(users["decision_body"])
    page = client.get(reverse("decisions:group"))
    assert page.status_code == 200
    assert [c.pk for c in page.context["form"].case_list] == [c.pk for c in cases]

    response = client.post(reverse("decisions:group"), group_post(cases))

    assert response.url == reverse("decisions:meeting")
    decision = Decision.objects.get()
    assert (decision.paragraph, str(decision)) == (87, "Kommunstyrelsen 2026-09-15 § 87")
    assert [(line.case_id, line.total_amount) for line in decision.lines.all()] == [
        (case.pk, asked_total(case)) for case in cases
    ]
    assert {Case.objects.get(pk=c.pk).state for c in cases} == {S.GRANTED}
    commitments = LedgerEntry.objects.filter(kind=EntryKind.COMMITMENT)
    for case in cases:
        assert {e.year: e.amount for e in commitments.filter(case=case)} == split_of(case)
    extract = IssuedDocument.objects.get(kind="decision")
    assert (extract.case, extract.decision) == (None, decision)
    # One extract for the cases decided together: named by the meeting and its paragraph.
    assert extract.filename == "protokollsutdrag-2026-09-15-paragraf-87.pdf"
    assert IssuedDocument.objects.filter(kind="letter").count() == 2
    text = " ".join(pdf_text(extract, tmp_path).split())
    assert text.count("§ 87") == 1
    for case in cases:
        assert case.number in text
        html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
        assert reverse("decisions:document", args=[extract.pk]) in html
        assert AuditEntry.objects.for_object(case).filter(action="document.issued", data__kind="decision").exists()
    assert client.get(reverse("decisions:document", args=[extract.pk])).status_code == 200


def test_group_decision_with_a_wrong_split_for_one_case_writes_nothing(client, people, today):
    cases, users = ready_cases(people, "heby")
    client.force_login(users["decision_body"])
    before = nothing_written(cases)
    second = cases[1]
    first_year = min(split_of(second))

    response = client.post(reverse("decisions:group"), group_post(cases, **{f"year_{second.pk}_{first_year}": "1"}))

    form = response.context["form"]
    assert response.status_code == 400
    assert list(form.errors) == [f"year_{second.pk}_{first_year}"]
    assert form.errors[f"year_{second.pk}_{first_year}"][0].startswith(f"{second.number}: fördelningen per år blir")
    assert form["paragraph"].value() == "§ 87"
    assert nothing_written(cases) == before


def test_group_decision_without_chosen_cases_is_refused_by_the_field(client, people, today):
    cases, users = ready_cases(people, "heby")
    client.force_login(users["decision_body"])
    before = nothing_written(cases)

    response = client.post(reverse("decisions:group"), group_post(cases, chosen=[]))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["cases"]
    assert nothing_written(cases) == before


@pytest.mark.parametrize("slug", ["ale", "sundsvall", "ystad", "norrkoping"])
def test_group_decision_is_refused_where_the_rule_set_does_not_allow_it(client, people, today, slug):
    cases, users = ready_cases(people, slug)
    client.force_login(users["decision_body"])
    before = nothing_written(cases)

    page = client.get(reverse("decisions:group"))
    response = client.post(reverse("decisions:group"), group_post(cases))

    reason = "Regelverket medger inte att flera ärenden beslutas som en helhet."
    assert (page.status_code, response.status_code) == (403, 403)
    assert reason in response.content.decode()
    assert nothing_written(cases) == before
    meeting = client.get(reverse("decisions:meeting")).content.decode()
    assert reverse("decisions:group") not in meeting


def test_group_decision_by_the_preparing_group_is_refused(client, people, today):
    cases, users = ready_cases(people, "heby")
    client.force_login(users["preparer"])
    before = nothing_written(cases)

    response = client.post(reverse("decisions:group"), group_post(cases))

    assert response.status_code == 403
    assert "Bara Kommunstyrelsen kan fatta beslutet." in response.content.decode()
    assert nothing_written(cases) == before
