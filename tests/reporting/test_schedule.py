import datetime

import pytest

from municipalities.rulebook import RuleBook
from reporting.schedule import Due, report_schedule
from tests.conftest import shipped_document

D = datetime.date
START, END = D(2027, 3, 1), D(2029, 8, 31)  # 30 months from 1 March
QUARTERS = [
    D(2027, 5, 31),
    D(2027, 8, 31),
    D(2027, 11, 30),
    D(2028, 2, 29),
    D(2028, 5, 31),
    D(2028, 8, 31),
    D(2028, 11, 30),
    D(2029, 2, 28),
    D(2029, 5, 31),
    D(2029, 8, 31),
]


def reporting(document):
    return RuleBook.of(document).reporting


def kinds_and_dates(slug, start=START, end=END, fixed=None):
    return [(due.kind, due.due_date) for due in report_schedule(reporting(shipped_document(slug)), start, end, fixed)]


def test_schedule_ystad_twice_a_year_and_final():
    assert kinds_and_dates("ystad") == [
        ("progress", D(2027, 8, 31)),
        ("progress", D(2027, 12, 31)),
        ("progress", D(2028, 8, 31)),
        ("progress", D(2028, 12, 31)),
        ("progress", D(2029, 8, 31)),
        ("final", D(2029, 8, 31)),
    ]


def test_schedule_heby_yearly_with_the_annual_report():
    assert kinds_and_dates("heby") == [
        ("yearly", D(2027, 12, 31)),
        ("yearly", D(2028, 12, 31)),
        ("yearly", D(2029, 8, 31)),  # the last, partial year is reported when the project ends
    ]


def test_schedule_ale_evaluated_each_project_year_and_at_the_end():
    # "utvärderas en gång per år samt vid avslut": no quarterly reports, one per project year.
    assert kinds_and_dates("ale") == [
        ("yearly", D(2028, 2, 29)),
        ("yearly", D(2029, 2, 28)),
        ("final", D(2029, 8, 31)),
    ]


def test_schedule_ale_two_year_project_one_yearly_evaluation_and_the_final():
    # The second project year ends with the project: its evaluation is the one at the end.
    dues = report_schedule(reporting(shipped_document("ale")), D(2027, 3, 1), D(2029, 2, 28))

    assert [(due.kind, due.period_start, due.period_end, due.due_date, due.receiver_role) for due in dues] == [
        ("yearly", D(2027, 3, 1), D(2028, 2, 29), D(2028, 2, 29), "preparer"),
        ("final", D(2027, 3, 1), D(2029, 2, 28), D(2029, 2, 28), "preparer"),
    ]


def test_schedule_ale_project_shorter_than_a_year_only_the_final():
    assert kinds_and_dates("ale", start=D(2027, 3, 1), end=D(2027, 12, 31)) == [("final", D(2027, 12, 31))]


def test_schedule_project_year_without_final_report_keeps_the_last_year():
    document = shipped_document("ale")
    document["reporting"]["obligations"] = [o for o in document["reporting"]["obligations"] if o["kind"] != "final"]

    assert [
        (due.kind, due.due_date) for due in report_schedule(reporting(document), D(2027, 3, 1), D(2029, 2, 28))
    ] == [
        ("yearly", D(2028, 2, 29)),
        ("yearly", D(2029, 2, 28)),
    ]


def test_schedule_norrkoping_half_time_and_final():
    assert kinds_and_dates("norrkoping") == [("half_time", D(2028, 5, 31)), ("final", D(2029, 8, 31))]


def test_schedule_sundsvall_continuous_and_final():
    assert kinds_and_dates("sundsvall") == [*(("progress", day) for day in QUARTERS), ("final", D(2029, 8, 31))]


def test_schedule_ystad_full_dues_with_periods_names_and_receiver():
    dues = report_schedule(reporting(shipped_document("ystad")), START, END)

    assert dues[:2] == [
        Due("progress", D(2027, 3, 1), D(2027, 8, 31), D(2027, 8, 31), "decision_body", "Delårsbokslut 2"),
        Due("progress", D(2027, 9, 1), D(2027, 12, 31), D(2027, 12, 31), "decision_body", "Årsbokslut"),
    ]
    assert dues[-1] == Due("final", START, END, END, "decision_body")
    assert (dues[0].display_name, dues[-1].display_name) == ("Delårsbokslut 2", "Slutrapport")


def test_schedule_ystad_admin_set_dates_replace_the_defaults():
    fixed = {2028: {"Delårsbokslut 2": D(2028, 9, 15)}}

    assert kinds_and_dates("ystad", fixed=fixed)[2] == ("progress", D(2028, 9, 15))


def test_schedule_ystad_start_mid_year_gets_only_later_dates():
    assert kinds_and_dates("ystad", start=D(2027, 10, 1), end=D(2028, 9, 30)) == [
        ("progress", D(2027, 12, 31)),
        ("progress", D(2028, 8, 31)),
        ("final", D(2028, 9, 30)),
    ]


def test_schedule_heby_project_shorter_than_a_year_reports_at_its_end():
    assert kinds_and_dates("heby", start=D(2027, 3, 1), end=D(2027, 10, 31)) == [("yearly", D(2027, 10, 31))]


def test_schedule_heby_ending_before_year_end_gets_a_last_report_at_the_end():
    dues = report_schedule(reporting(shipped_document("heby")), D(2027, 1, 1), D(2028, 6, 30))

    assert [(due.period_start, due.period_end) for due in dues] == [
        (D(2027, 1, 1), D(2027, 12, 31)),
        (D(2028, 1, 1), D(2028, 6, 30)),
    ]


def test_schedule_sundsvall_shorter_than_a_quarter_only_final():
    assert kinds_and_dates("sundsvall", start=D(2027, 3, 1), end=D(2027, 4, 30)) == [("final", D(2027, 4, 30))]


def test_schedule_sundsvall_interval_months_from_rule_set():
    document = shipped_document("sundsvall")
    document["reporting"]["obligations"][0]["interval_months"] = 6

    dues = report_schedule(reporting(document), START, END)

    assert [due.due_date for due in dues if due.kind == "progress"] == [
        D(2027, 8, 31),
        D(2028, 2, 29),
        D(2028, 8, 31),
        D(2029, 2, 28),
        D(2029, 8, 31),
    ]


def test_schedule_extension_moves_end_and_half_time():
    extended = D(2030, 2, 28)

    assert kinds_and_dates("norrkoping", end=extended) == [
        ("half_time", D(2028, 8, 29)),
        ("final", extended),
    ]
    assert kinds_and_dates("ystad", end=extended)[-3:] == [
        ("progress", D(2029, 8, 31)),
        ("progress", D(2029, 12, 31)),
        ("final", extended),
    ]


def test_schedule_fixed_date_in_february_of_a_common_year():
    document = shipped_document("ystad")
    document["reporting"]["obligations"][0]["fixed_dates"] = [{"name": "Skottdag", "default": "02-29"}]

    dues = report_schedule(reporting(document), START, END)

    assert [due.due_date for due in dues if due.kind == "progress"] == [D(2028, 2, 29), D(2029, 2, 28)]


def test_schedule_end_before_start_refused():
    with pytest.raises(ValueError, match="cannot end before it starts"):
        report_schedule(reporting(shipped_document("ystad")), END, START)
