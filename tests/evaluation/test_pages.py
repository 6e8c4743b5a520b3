import re
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from evaluation import services
from evaluation.models import CalculationSnapshot, Evaluation, MeasurementPlan, UnitCost
from tests.evaluation.conftest import calculation_fields

pytestmark = pytest.mark.django_db


def url(case, kind="forecast"):
    return reverse("evaluation:calculation", args=[case.pk, kind])


def management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def post_data(unit_cost, **outcome):
    """What the page posts: 100 000 kr in 2026; 20 fewer days a year at 4 500 kr in 2027-2029."""
    line = {
        "name": "Färre dygn i HVB",
        "unit_cost": str(unit_cost.pk),
        "unit_amount": "4 500",
        "baseline": "400",
        "quantity": "20",
        "start_year": "2027",
        "duration": "3",
        "drop_off": "0",
        "deadweight": "0",
        "attribution": "0",
        "displacement": "0",
        "confidence": "high",
        "effect_source": "estimate",
        "cashable": "on",
        "transfer_from": "",
        "split_municipality": "100",
        **outcome,
    }
    return {
        "discount_rate": "3,5",
        "horizon": "10",
        "first_year": "2026",
        **management("costs", 1),
        "costs-0-year": "2026",
        "costs-0-payer": "municipality",
        "costs-0-granted": "100 000",
        **management("outcomes", 1),
        **{f"outcomes-0-{name}": value for name, value in line.items()},
    }


def test_preparer_saves_the_calculation_on_the_page_and_sees_the_results(client, sundsvall):
    client.force_login(sundsvall.users["preparer"])

    response = client.post(url(sundsvall.case), post_data(sundsvall.unit_cost), follow=True)

    snapshot = CalculationSnapshot.objects.get()
    assert snapshot.npv == Decimal("152147.33")
    content = response.content.decode()
    assert "Kalkylen är sparad som version 1." in content
    assert re.search(r'id="npv">152\xa0147,33\xa0kr<', content)
    assert 'id="payback">2,11 år' in content  # 2 + 10 000 / 90 000 of the third year
    assert "<svg" in content
    assert "Kumulativt diskonterat nettoflöde per år" in content


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("outcomes-0-deadweight", "150", "Ange en andel mellan 0 och 100 %."),
        ("outcomes-0-split_municipality", "90", "Fördelningen mellan betalare ska bli 100 %, men blir 90 %."),
        ("outcomes-0-baseline", "", "Ange utgångsvärdet (basmätningen) för effekten."),
        ("outcomes-0-unit_cost", "", "Välj en enhetskostnad för effekten."),
        ("horizon", "21", "Kalkylperioden får vara högst 20 år."),
        ("discount_rate", "-1", "Ange en andel mellan 0 och 100 %."),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_stored(client, sundsvall, field, value, message):
    client.force_login(sundsvall.users["preparer"])
    data = post_data(sundsvall.unit_cost)
    data[field] = value

    response = client.post(url(sundsvall.case), data)

    assert response.status_code == 422
    content = response.content.decode()
    assert message in content
    assert "Kalkylen är inte sparad: rätta det som är markerat." in content
    if field == "outcomes-0-split_municipality":
        assert re.search(
            r"Fördelning mellan betalare.*?role=\"alert\">Fördelningen mellan betalare ska bli", content, re.S
        )
    else:  # the message right after the input, in the element its aria-describedby names
        assert re.search(rf'aria-describedby="id_{field}_error" id="id_{field}"', content)
        assert re.search(
            rf'<div id="id_{field}_error" class="invalid-feedback">\s*'
            rf"<p id=\"error_1_id_{field}\"><strong>{re.escape(message)}",
            content,
        )
    assert not CalculationSnapshot.objects.exists()
    assert not AuditEntry.objects.filter(action="calculation.saved").exists()


def test_board_member_reads_the_calculation_but_cannot_save_it(client, sundsvall):
    services.save_calculation(
        sundsvall.case, "forecast", sundsvall.users["preparer"], **calculation_fields(sundsvall.unit_cost)
    )
    client.force_login(sundsvall.users["board"])

    page = client.get(url(sundsvall.case))
    refused = client.post(url(sundsvall.case), post_data(sundsvall.unit_cost), follow=True)

    assert page.status_code == 200
    assert "Räkna och spara" not in page.content.decode()
    assert "Bara den beredande gruppen och controllern ändrar den här kalkylen." in refused.content.decode()
    assert CalculationSnapshot.objects.count() == 1


def test_another_municipality_gets_not_found(client, sundsvall, people):
    client.force_login(people("ystad")["preparer"])

    assert client.get(url(sundsvall.case)).status_code == 404
    assert client.post(url(sundsvall.case), post_data(sundsvall.unit_cost)).status_code == 404
    assert client.get(reverse("evaluation:overview", args=[sundsvall.case.pk])).status_code == 404
    assert not CalculationSnapshot.objects.exists()


def test_an_unknown_kind_is_not_found(client, sundsvall):
    client.force_login(sundsvall.users["preparer"])

    assert client.get(url(sundsvall.case, "guess")).status_code == 404


def test_a_new_forecast_starts_from_the_costs_the_application_asks_for(client, sundsvall):
    sundsvall.case.costs.create(year=2027, amount=Decimal(250000))
    client.force_login(sundsvall.users["applicant"])

    content = client.get(url(sundsvall.case)).content.decode()

    assert 'value="250000"' in content
    assert "Ingen kalkyl är sparad ännu." in content


@pytest.mark.parametrize("outcomes", [1, 6])
def test_calculation_page_queries_do_not_grow_with_the_lines(client, sundsvall, django_assert_num_queries, outcomes):
    services.save_calculation(
        sundsvall.case,
        "forecast",
        sundsvall.users["preparer"],
        **calculation_fields(sundsvall.unit_cost, outcomes=outcomes),
    )
    for index in range(outcomes):
        UnitCost.objects.create(
            municipality=sundsvall.case.municipality,
            name=f"Kostnad {index}",
            unit="st",
            amount=Decimal(1),
            price_year=2026,
            source="test",
        )
    client.force_login(sundsvall.users["preparer"])

    with django_assert_num_queries(19):
        response = client.get(url(sundsvall.case))

    assert response.content.decode().count('class="border rounded p-2 mb-3 outcome-line"') == outcomes + 1


def test_pdf_of_the_calculation(client, sundsvall, tmp_path):
    services.save_calculation(
        sundsvall.case, "forecast", sundsvall.users["preparer"], **calculation_fields(sundsvall.unit_cost)
    )
    client.force_login(sundsvall.users["board"])

    response = client.get(reverse("evaluation:calculation_pdf", args=[sundsvall.case.pk, "forecast"]))

    assert response["Content-Type"] == "application/pdf"
    # A case still in draft has no diarienummer: the name says which case it is.
    assert response["Content-Disposition"] == f'inline; filename="forkalkyl-arende-{sundsvall.case.pk}-v1.pdf"'
    path = tmp_path / "kalkyl.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    readable = text.replace("\xa0", " ")
    assert "Förkalkyl: Tidigt stöd till familjer" in readable
    assert re.search(r"Nettonuvärde \(samhället\)\s+152 147,33 kr", readable)
    assert "sida 1 av" in readable


def test_pdf_before_any_calculation_is_not_found(client, sundsvall):
    client.force_login(sundsvall.users["preparer"])

    assert client.get(reverse("evaluation:calculation_pdf", args=[sundsvall.case.pk, "forecast"])).status_code == 404


def plan_post(**extra):
    return {
        "goals": "Färre placeringar",
        "activities": "Familjestöd",
        "comparison": "control_group",
        "comparison_description": "Familjer i Timrå",
        **management("indicators", 1),
        "indicators-0-name": "Placerade barn",
        "indicators-0-kind": "effect",
        "indicators-0-baseline_value": "12",
        "indicators-0-baseline_date": "2026-01-01",
        "indicators-0-target_value": "6",
        **extra,
    }


def test_applicant_makes_the_measurement_plan_on_its_page(client, sundsvall):
    client.force_login(sundsvall.users["applicant"])
    form = client.get(reverse("evaluation:plan", args=[sundsvall.case.pk])).content.decode()

    response = client.post(reverse("evaluation:plan", args=[sundsvall.case.pk]), plan_post(), follow=True)

    assert re.search(r'value="control_group"[^>]*checked', form)  # Sundsvall prefers a control group
    plan = MeasurementPlan.objects.get()
    assert [i.name for i in plan.indicators.all()] == ["Placerade barn"]
    assert "Mätplanen är sparad." in response.content.decode()


def test_an_untouched_extra_indicator_row_is_ignored(client, sundsvall):
    client.force_login(sundsvall.users["applicant"])
    data = {**plan_post(), "indicators-TOTAL_FORMS": "2", "indicators-1-kind": "process"}

    client.post(reverse("evaluation:plan", args=[sundsvall.case.pk]), data)

    assert MeasurementPlan.objects.get().indicators.count() == 1


def test_a_unit_cost_of_another_municipality_is_not_found_on_the_catalogue_page(client, sundsvall, people):
    client.force_login(people("ystad")["controller"])

    assert client.get(reverse("evaluation:unit_costs") + f"?andra={sundsvall.unit_cost.pk}").status_code == 404
    assert client.get(reverse("evaluation:unit_costs") + "?andra=x").status_code == 404


def test_an_effect_indicator_without_a_baseline_is_refused_on_the_page(client, sundsvall):
    client.force_login(sundsvall.users["applicant"])

    response = client.post(
        reverse("evaluation:plan", args=[sundsvall.case.pk]), plan_post(**{"indicators-0-baseline_value": ""})
    )

    assert "Ett effektmått behöver ett basvärde att jämföra med." in response.content.decode()
    assert not MeasurementPlan.objects.exists()


def test_before_after_only_is_shown_as_the_weakest_evidence(client, sundsvall):
    client.force_login(sundsvall.users["applicant"])
    client.post(reverse("evaluation:plan", args=[sundsvall.case.pk]), plan_post(comparison="before_after"))

    content = client.get(reverse("evaluation:overview", args=[sundsvall.case.pk])).content.decode()

    assert "svagaste underlaget" in content


def test_values_page_shows_difference_in_differences_beside_the_naive_estimates(client, sundsvall):
    client.force_login(sundsvall.users["applicant"])
    client.post(reverse("evaluation:plan", args=[sundsvall.case.pk]), plan_post())
    indicator = MeasurementPlan.objects.get().indicators.get()
    page = reverse("evaluation:values", args=[sundsvall.case.pk, indicator.pk])
    for period, group, value in [("2026-01-01", "comparison", "10"), ("2027-01-01", "target", "6")]:
        client.post(page, {"period": period, "group": group, "value": value})

    response = client.post(page, {"period": "2027-01-01", "group": "comparison", "value": "8"}, follow=True)

    content = response.content.decode()
    assert re.search(r"Skillnad-i-skillnader.*?</th><td class=\"num text-end\">-4", content, re.S)
    assert re.search(r"Naiv före–efter.*?</th><td class=\"num text-end\">-6", content, re.S)
    assert re.search(r"Bara efter.*?</th><td class=\"num text-end\">-2", content, re.S)


def test_final_evaluation_page_links_to_the_implementation_decision(client, sundsvall):
    client.force_login(sundsvall.users["preparer"])
    page = reverse("evaluation:evaluation", args=[sundsvall.case.pk, "final"])

    response = client.post(
        page,
        {"effects": "E", "process": "P", "costs": "K", "conclusion": "S", "recommendation": "implement_partly"},
        follow=True,
    )

    assert Evaluation.objects.get().recommendation == "implement_partly"
    assert reverse("applications:detail", args=[sundsvall.case.pk]) + "#h-next" in response.content.decode()


def test_ale_evaluation_proposes_only_what_kommunstyrelsen_may_decide(client, new_case):
    # Ale's rule set has no partial implementation: the proposal is to implement or not.
    case, users = new_case("ale")
    client.force_login(users["applicant"])
    page = reverse("evaluation:evaluation", args=[case.pk, "final"])

    content = client.get(page).content.decode()
    response = client.post(
        page, {"effects": "E", "process": "P", "costs": "K", "conclusion": "S", "recommendation": "implement_partly"}
    )

    assert 'value="implement"' in content
    assert 'value="implement_partly"' not in content
    assert response.status_code == 400
    assert not Evaluation.objects.exists()


def test_heby_evaluation_asks_for_the_frame_adjustment(client, new_case):
    case, users = new_case("heby")
    client.force_login(users["preparer"])

    content = client.get(reverse("evaluation:evaluation", args=[case.pk, "final"])).content.decode()

    assert "Föreslagen ramjustering i nästa budget (kr)" in content


def test_sundsvall_evaluation_does_not_ask_for_a_frame_adjustment(client, sundsvall):
    client.force_login(sundsvall.users["preparer"])

    content = client.get(reverse("evaluation:evaluation", args=[sundsvall.case.pk, "final"])).content.decode()

    assert "ramjustering" not in content


def test_controller_changes_a_unit_cost_on_the_catalogue_page(client, sundsvall):
    client.force_login(sundsvall.users["controller"])
    page = reverse("evaluation:unit_costs") + f"?andra={sundsvall.unit_cost.pk}"

    client.post(
        page, {"name": "Dygn i HVB", "unit": "dygn", "amount": "4 800", "price_year": "2027", "source": "Kolada"}
    )

    sundsvall.unit_cost.refresh_from_db()
    assert sundsvall.unit_cost.amount == Decimal(4800)


def test_applicant_cannot_change_the_catalogue(client, sundsvall):
    client.force_login(sundsvall.users["applicant"])

    client.post(
        reverse("evaluation:unit_costs"),
        {"name": "Ny", "unit": "st", "amount": "1", "price_year": "2027", "source": "x"},
    )

    assert UnitCost.objects.count() == 1


def test_case_page_links_to_the_evaluation(client, sundsvall):
    client.force_login(sundsvall.users["applicant"])

    content = client.get(reverse("applications:detail", args=[sundsvall.case.pk])).content.decode()

    assert reverse("evaluation:overview", args=[sundsvall.case.pk]) in content


def test_evaluation_proposes_only_the_decisions_the_rule_set_allows(client, new_case):
    case, users = new_case("norrkoping")
    client.force_login(users["applicant"])

    content = client.get(reverse("evaluation:evaluation", args=[case.pk, "final"])).content.decode()

    assert 'value="implement"' in content
    assert 'value="decline_implementation"' in content
    assert "implement_partly" not in content
    assert "Beslutet om implementering (helt eller inte) fattas på ärendets sida" in content
    # The writer sees what the guideline asks of the evaluation.
    assert "I slututvärderingen står målen för insatsen i fokus" in content


def test_a_reader_sees_the_evaluation_with_the_proposal_by_its_name(client, new_case):
    # The nämnd reads the evaluation its decision on implementation rests on.
    case, users = new_case("heby")
    fields = {
        "effects": "Färre placeringar.",
        "process": "Familjestöd.",
        "costs": "Inom budget.",
        "conclusion": "Implementera.",
        "recommendation": "implement",
        "frame_adjustment": Decimal(500000),
    }
    services.save_evaluation(case, "final", users["preparer"], fields=fields)
    client.force_login(users["board"])

    content = client.get(reverse("evaluation:evaluation", args=[case.pk, "final"])).content.decode()

    assert "<dt>Förslag till beslut om implementering</dt><dd>implementera</dd>" in content
    assert "<dt>Föreslagen ramjustering i nästa budget (kr)</dt><dd>500\xa0000\xa0kr</dd>" in content
    assert "<dt>Effekter</dt><dd>Färre placeringar.</dd>" in content
    assert "Spara utvärderingen" not in content
