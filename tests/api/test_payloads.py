"""What each endpoint shows of a row, exactly."""

from applications.enums import STAGE_OF_STATE


def test_case_payload(ystad):
    case = ystad.cases[0]

    row = ystad.client().get(f"/api/v1/cases/{case.pk}/").json()

    assert row == {
        "id": case.pk,
        "number": f"YSTAD-{case.pk}",
        "title": "Insats 1",
        "state": case.state,
        "state_label": case.get_state_display(),
        "stage": STAGE_OF_STATE[case.state],
        "municipality": "ystad",
        "applicant_unit": str(case.applicant_unit),
        "period_start": case.period_start and case.period_start.isoformat(),
        "period_end": case.period_end and case.period_end.isoformat(),
        "end_date": case.end_date and case.end_date.isoformat(),
        "asked_per_year": [{"year": cost.year, "amount": f"{cost.amount:.2f}"} for cost in case.costs.order_by("year")],
        "granted_total": "500000.00",
    }


def test_decision_payload_has_lines_and_years(ystad):
    decision = ystad.decisions[0]

    row = ystad.client().get(f"/api/v1/decisions/{decision.pk}/").json()

    assert row == {
        "id": decision.pk,
        "body": "Kommunstyrelsen",
        "meeting_date": "2026-10-20",
        "paragraph": 1,
        "paragraph_label": "§ 1",
        "kind": "grant",
        "kind_label": "bevilja",
        "conditions": "",
        "lines": [
            {
                "case": ystad.cases[0].pk,
                "case_number": f"YSTAD-{ystad.cases[0].pk}",
                "total_amount": "500000.00",
                "years": [{"year": 2027, "amount": "250000.00"}, {"year": 2028, "amount": "250000.00"}],
            }
        ],
    }


def test_ledger_payload_amount_is_a_string_decimal(ystad):
    entry = ystad.entries[0]

    row = ystad.client().get(f"/api/v1/ledger/{entry.pk}/").json()

    assert row == {
        "id": entry.pk,
        "date": "2026-10-20",
        "year": 2027,
        "kind": "commitment",
        "kind_label": "åtagande (beviljat belopp)",
        "amount": "250000.00",
        "case": ystad.cases[0].pk,
        "case_number": f"YSTAD-{ystad.cases[0].pk}",
        "decision": ystad.decisions[0].pk,
        "reference": "Åtagande",
        "basis": "",
        "reverses": None,
    }


def test_report_payload_has_status_and_times(ystad):
    obligation = ystad.obligations[0]

    row = ystad.client().get(f"/api/v1/reports/{obligation.pk}/").json()

    assert row["status"] == "accepted"
    assert row["status_label"] == "godkänd"
    assert row["due_date"] == "2028-01-31"
    assert (row["period_start"], row["period_end"]) == ("2027-01-01", "2027-12-31")
    assert row["submitted_at"] is not None
    assert row["accepted_at"] is not None


def test_indicator_payload_has_values(ystad):
    indicator = ystad.indicators[0]

    row = ystad.client().get(f"/api/v1/indicators/{indicator.pk}/").json()

    assert row["case"] == ystad.cases[0].pk
    assert row["name"] == "Placeringar"
    assert row["values"] == [
        {"period": "2027-12-31", "group": "comparison", "value": "12.00"},
        {"period": "2027-12-31", "group": "target", "value": "12.00"},
    ]
