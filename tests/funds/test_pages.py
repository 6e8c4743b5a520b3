"""The fund page: tenant-scoped, role-checked, forms that say what is wrong next to the field, and
a fixed number of queries however long the ledger."""

import pytest
from django.urls import reverse

from applications.models import Case
from audit.models import AuditEntry
from core.formatting import format_kronor as fk
from funds import selectors as fund_selectors
from funds import services as funds
from funds.enums import EntryKind
from funds.models import Fund
from tests.funds.conftest import accepted_report, decide, kr, ready, set_up_fund

pytestmark = pytest.mark.django_db


def url(slug):
    return reverse("funds:detail", args=[slug])


def test_controller_sees_balances_years_chart_history_and_forms(client, new_case, today):
    case, users = ready(new_case, "ystad")
    set_up_fund(users, reserved=5_000_000, appropriations={2026: 1e6, 2027: 1e6, 2028: 1e6})
    decide(case, users)
    client.force_login(users["controller"])

    response = client.get(url("ystad"))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["balances"].available == kr(3_500_000)
    assert fk(3_500_000) in html
    assert '<svg id="fund-chart" role="img"' in html
    assert 'id="chart-table"' in html
    assert html.count("<polyline") == 4
    assert [key for key, *_ in response.context["forms"]] == [
        "reservation",
        "appropriation",
        "payout",
        "carry_over",
        "correction",
        "close_year",
    ]
    assert "Budgetkompensation" in html  # Ystad's payout model


def test_preparer_reads_but_records_nothing(client, people, today):
    users = people("sundsvall")
    set_up_fund(users, reserved=100)
    client.force_login(users["preparer"])

    response = client.get(url("sundsvall"))
    refused = client.post(url("sundsvall"), {"form": "reservation", "reservationform-amount": "5"})

    assert response.status_code == 200
    assert response.context["forms"] == []
    assert refused.status_code == 403
    assert Fund.objects.get().entries.count() == 1


def test_applicant_does_not_see_the_fund_page(client, people, today):
    users = people("sundsvall")
    set_up_fund(users)
    client.force_login(users["applicant"])

    assert client.get(url("sundsvall")).status_code == 403


def test_another_municipalitys_fund_is_not_found(client, people, today):
    users = people("sundsvall")
    other = people("heby")
    set_up_fund(users)
    client.force_login(other["controller"])

    assert client.get(url("sundsvall")).status_code == 404


def test_page_without_a_fund_offers_to_set_it_up(client, people, today):
    users = people("heby")
    client.force_login(users["controller"])

    response = client.get(url("heby"))
    created = client.post(reverse("funds:create", args=["heby"]), {"name": ""})

    assert "ingen fond inrättad" in response.content.decode()
    assert created.status_code == 302
    fund = Fund.objects.get(municipality__slug="heby")
    assert fund.name == f"Sociala investeringsfonden i {fund.municipality.name}"
    assert AuditEntry.objects.for_object(fund).filter(action="fund.created").count() == 1


def post(client, slug, form, **fields):
    prefix = {
        "reservation": "reservationform",
        "appropriation": "appropriationform",
        "payout": "payoutform",
        "carry_over": "carryoverform",
        "correction": "correctionform",
        "close_year": "closeyearform",
        "freeze": "freezeform",
    }[form]
    data = {"form": form, **{f"{prefix}-{name}": value for name, value in fields.items()}}
    return client.post(url(slug), data)


def test_controller_records_a_reservation_typed_the_swedish_way(client, people, today):
    users = people("sundsvall")
    fund = set_up_fund(users)
    client.force_login(users["controller"])

    response = post(
        client,
        "sundsvall",
        "reservation",
        amount="1 250 000,50 kr",
        year="2026",
        entry_date="2026-01-10",
        basis="KF § 1",
    )

    assert response.status_code == 302
    entry = fund.entries.get()
    assert (entry.kind, entry.amount, entry.recorded_by) == (
        EntryKind.RESERVATION,
        kr("1250000.50"),
        users["controller"],
    )
    assert AuditEntry.objects.for_object(fund).filter(action="fund.entry").count() == 1


def test_form_says_what_is_wrong_next_to_the_field(client, people, today):
    users = people("sundsvall")
    fund = set_up_fund(users, reserved=1_000_000)
    client.force_login(users["controller"])

    typo = post(client, "sundsvall", "reservation", amount="tusen", year="2026", entry_date="2026-01-10", basis="KF")
    zero = post(client, "sundsvall", "reservation", amount="0", year="2026", entry_date="2026-01-10", basis="KF")
    over = post(
        client, "sundsvall", "appropriation", amount="1 250 000", year="2027", entry_date="2027-01-01", basis="MRP"
    )

    assert typo.status_code == 400
    assert typo.context["forms"][0][2].errors == {"amount": ["Skriv beloppet i kronor, till exempel 1 250 000."]}
    assert zero.context["forms"][0][2].errors == {"amount": ["Beloppet måste vara större än noll."]}
    appropriation = {key: form for key, _title, form, _bound in over.context["forms"]}["appropriation"]
    assert appropriation.errors == {
        "amount": [
            f"Anslaget får inte vara högre än avsättningen: {fk(1_000_000)} ryms för 2027; det saknas {fk(250_000)}."
        ]
    }
    assert 'id="error_1_id_appropriationform-amount"' in over.content.decode()
    assert fund.entries.count() == 1


def test_payout_form_on_a_case_that_was_not_granted_is_refused(client, new_case, today):
    case, users = ready(new_case, "norrkoping")
    set_up_fund(users, reserved=5_000_000)
    client.force_login(users["controller"])

    response = post(
        client, "norrkoping", "payout", case=str(case.pk), amount="100", year="2026", entry_date="2026-10-01"
    )

    assert response.status_code == 400
    payout = {key: form for key, _t, form, _b in response.context["forms"]}["payout"]
    assert "case" in payout.errors  # not offered: only granted cases are
    assert Fund.objects.get().entries.filter(kind=EntryKind.PAYOUT).count() == 0


def test_sundsvall_payout_form_asks_for_the_project_number(client, new_case, today):
    case, users = ready(new_case, "sundsvall")
    set_up_fund(users, reserved=5e6, appropriations={2026: 1e6, 2027: 1e6, 2028: 1e6})
    decide(case, users)
    client.force_login(users["controller"])

    response = post(
        client, "sundsvall", "payout", case=str(case.pk), amount="100 000", year="2027", entry_date="2027-01-15"
    )
    ok = post(
        client,
        "sundsvall",
        "payout",
        case=str(case.pk),
        amount="100 000",
        year="2027",
        entry_date="2027-01-15",
        project_number="11-0042",
    )

    assert response.status_code == 400
    assert "project_number" in {k: f for k, _t, f, _b in response.context["forms"]}["payout"].errors
    assert ok.status_code == 302
    entry = Case.objects.get(pk=case.pk).ledger_entries.get(kind=EntryKind.PAYOUT)
    assert (entry.account, entry.project_number, entry.summary_code) == ("935900", "11-0042", "11")


def test_correction_from_the_page(client, people, today):
    users = people("norrkoping")
    fund = set_up_fund(users, reserved=1000)
    client.force_login(users["controller"])
    entry = fund.entries.get()

    response = post(client, "norrkoping", "correction", entry=str(entry.pk), reason="Fel år.")

    assert response.status_code == 302
    assert fund_selectors.fund_balances(fund).reserved == 0
    page = client.get(url("norrkoping")).content.decode()
    assert f"rättar #{entry.pk}" in page


def fill(fund, users, count):
    for index in range(count):
        funds.record_reservation(fund, users["controller"], amount=kr(1000 + index), year=2026 + index % 3, basis="KF")


def test_fund_page_queries_do_not_grow_with_the_ledger(client, new_case, today, django_assert_num_queries):
    case, users = ready(new_case, "ystad")
    fund = set_up_fund(users, reserved=5e6, appropriations={2026: 1e6, 2027: 1e6, 2028: 1e6})
    decide(case, users)
    client.force_login(users["controller"])
    fill(fund, users, 2)
    with django_assert_num_queries(17) as few:
        client.get(url("ystad"))
    fill(fund, users, 30)
    report = accepted_report(case, {2027: 10})
    funds.record_payout(
        Case.objects.get(pk=case.pk), users["controller"], amount=kr(10), year=2027, report_id=report.pk
    )

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("ystad"))

    assert len(response.context["entries"]) == 1 + 3 + 3 + 2 + 30 + 1


def test_ystad_reconciles_the_years_result_against_the_balance_requirement(client, new_case, today):
    case, users = ready(new_case, "ystad")
    fund = set_up_fund(users, reserved=5e6, appropriations={2026: 1e6, 2027: 1e6, 2028: 1e6})
    decide(case, users)
    case = Case.objects.get(pk=case.pk)
    report = accepted_report(case, {2026: 300_000, 2027: 100_000})
    funds.record_payout(case, users["controller"], amount=kr(300_000), year=2026, report_id=report.pk)
    funds.record_payout(case, users["controller"], amount=kr(100_000), year=2027, report_id=report.pk)
    client.force_login(users["management"])

    response = client.get(url("ystad"), {"ar": "2026", "resultat": "-250 000"})

    reconciled = response.context["reconciliation"]
    assert (reconciled.result, reconciled.social_costs, reconciled.result_excluding) == (
        kr(-250_000),
        kr(300_000),
        kr(50_000),
    )
    assert (reconciled.reservation_used, reconciled.reservation_left) == (kr(300_000), kr(4_700_000))
    assert fund_selectors.reconciliation(fund, 2027, kr(0)).reservation_left == kr(4_600_000)
    assert "Resultat exklusive sociala investeringar" in response.content.decode()


def test_ledger_export_carries_sundsvalls_account_and_project_number(client, new_case, today):
    case, users = ready(new_case, "sundsvall")
    set_up_fund(users, reserved=5e6, appropriations={2026: 1e6, 2027: 1e6, 2028: 1e6})
    decide(case, users)
    funds.record_payout(
        Case.objects.get(pk=case.pk), users["controller"], amount=kr("1250.50"), year=2027, project_number="11-9"
    )
    client.force_login(users["management"])

    response = client.get(reverse("funds:export", args=["sundsvall"]))

    lines = response.content.decode().splitlines()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="fondens-poster-sundsvall-2026-09-15.csv"'
    assert lines[0].startswith("post;datum;slag;år")
    payout = next(line for line in lines if ";payout;" in line)
    assert ";1250,50;" in payout
    assert ";935900;11-9;11;" in payout


def test_applicant_cannot_export_the_ledger(client, people, today):
    users = people("sundsvall")
    set_up_fund(users)
    client.force_login(users["applicant"])

    assert client.get(reverse("funds:export", args=["sundsvall"])).status_code == 403


def test_sundsvall_freeze_above_the_unspent_is_refused_by_the_amount_on_the_fund_page(client, new_case, today):
    case, users = ready(new_case, "sundsvall")
    fund = set_up_fund(users, reserved=5e6, appropriations={2026: 1e6, 2027: 1e6, 2028: 1e6})
    decide(case, users)
    case = Case.objects.get(pk=case.pk)
    funds.record_payout(case, users["controller"], amount=kr(500_000), year=2026, project_number="11-9")
    accepted_report(case, {2026: 450_000})
    client.force_login(users["controller"])
    typed = {"case": str(case.pk), "year": "2026", "entry_date": "2026-12-31"}

    response = post(client, "sundsvall", "freeze", amount="50 000,01", **typed)

    page = response.content.decode()
    assert response.status_code == 400
    assert "högst 50\xa0000\xa0kr är outnyttjat och kan frysas." in page
    assert 'value="50 000,01"' in page
    assert 'id="error_1_id_freezeform-amount"' in page
    assert fund_selectors.case_balances(fund, case).year(2026).frozen == kr(0)
    assert post(client, "sundsvall", "freeze", amount="50 000", **typed).status_code == 302
    assert fund_selectors.case_balances(fund, case).year(2026).frozen == kr(50_000)
