"""What each rule set requires of an application before it may be submitted, the dates the
guidelines set, and which uploaded files are taken."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.checks import Problem, application_problems, idea_problems, window_for
from applications.deadlines import add_months, feedback_due, half_time, whole_months
from applications.enums import CaseState as S
from applications.models import Case, CaseAttachment, DecisionRound
from applications.services import TransitionRefusedError
from applications.services.content import add_attachment, save_case
from audit.models import AuditEntry
from demo.walk import fill_application, sign_for, walk_to
from municipalities.models import ExternalActor, OrganisationalUnit
from municipalities.rulebook.sections import ApplicationWindow
from tests.core.test_uploads import PDF, ZIP
from tests.factories import ExternalActorFactory

NBSP = "\xa0"
D = datetime.date


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")


@pytest.fixture
def filled(new_case, today):
    """A draft whose application meets every rule of the municipality's rule set."""

    def build(slug):
        case, users = new_case(slug)
        case = walk_to(case, S.DRAFT, users)
        fill_application(case, users["applicant"])
        sign_for(Case.objects.get(pk=case.pk), users, when="before_submission")
        return Case.objects.get(pk=case.pk), users

    return build


def change(case, users, *, units=None, external_actors=None, costs=None, **fields):
    """Change the application; its heads sign again (a change voids earlier signatures)."""
    save_case(case, users["applicant"], fields=fields, units=units, external_actors=external_actors, costs=costs)
    sign_for(Case.objects.get(pk=case.pk), users, when="before_submission")
    return Case.objects.get(pk=case.pk)


def unit(case, name):
    return OrganisationalUnit.objects.get(municipality=case.municipality, name=name)


def actor(case, name):
    return ExternalActor.objects.get(municipality=case.municipality, name=name)


@pytest.mark.parametrize("slug", ["heby", "ale", "sundsvall", "ystad", "norrkoping"])
def test_filled_application_has_no_problems(filled, slug):
    case, _ = filled(slug)

    assert application_problems(case) == []


def test_application_without_title_refused(filled):
    case, users = filled("heby")
    case = change(case, users, title="  ")

    assert application_problems(case) == [Problem("title", "Ange insatsens namn.")]


# ---- Who may apply, and with whom ------------------------------------------------------------------

ALE_COLLABORATION = Problem(
    "units",
    "Samverkanskravet är inte uppfyllt. Krävs: minst två sektorer berörs av satsningen, till exempel "
    "verksamheter inom olika sektorer eller minst en kommunal sektor tillsammans med minst en aktör från "
    "det civila samhället (vinstdrivande företag räknas inte).",
)


def test_ale_one_sektor_alone_refused(filled):
    case, users = filled("ale")

    case = change(case, users, units=[], external_actors=[])

    assert application_problems(case) == [ALE_COLLABORATION]


def test_ale_two_sektorer_accepted(filled):
    case, users = filled("ale")

    case = change(case, users, units=[unit(case, "Sektor utbildning")], external_actors=[])

    assert application_problems(case) == []


def test_ale_one_sektor_with_civil_society_actor_accepted(filled):
    case, users = filled("ale")

    case = change(case, users, units=[], external_actors=[actor(case, "Föreningen Fritid")])

    assert application_problems(case) == []


def test_ale_one_sektor_with_for_profit_company_refused(filled):
    case, users = filled("ale")

    case = change(case, users, units=[], external_actors=[actor(case, "Konsult AB")])

    assert application_problems(case) == [ALE_COLLABORATION]


def test_ale_for_profit_company_never_counts_even_with_another(filled):
    case, users = filled("ale")
    second_company = ExternalActorFactory(municipality=case.municipality, name="Metod AB", kind="for_profit")

    case = change(case, users, units=[], external_actors=[actor(case, "Konsult AB"), second_company])

    assert application_problems(case) == [ALE_COLLABORATION]


def test_ale_same_sektor_listed_twice_counts_once(filled):
    case, users = filled("ale")

    case = change(case, users, units=[case.applicant_unit], external_actors=[])

    assert application_problems(case) == [ALE_COLLABORATION]


YSTAD_COLLABORATION = Problem(
    "units",
    "Samverkanskravet är inte uppfyllt. Krävs: minst två kommunala nämnder medverkar i satsningen eller minst "
    "en kommunal nämnd i samverkan med en aktör från civila samhället (förening, stiftelse, kooperativ, "
    "välgörenhetsorganisation eller liknande sammanslutning) eller från annan offentlig verksamhet "
    "(vinstdrivande företag räknas inte).",
)


def test_ystad_two_units_under_one_namnd_refused(filled):
    case, users = filled("ystad")

    case = change(
        case,
        users,
        applicant_unit=unit(case, "Elevhälsan"),
        units=[unit(case, "Barn- och utbildningsnämnden")],
        external_actors=[],
    )

    assert application_problems(case) == [YSTAD_COLLABORATION]


def test_ystad_units_under_two_namnder_accepted(filled):
    case, users = filled("ystad")

    case = change(
        case,
        users,
        applicant_unit=unit(case, "Elevhälsan"),
        units=[unit(case, "Individ- och familjeomsorgen")],
        external_actors=[],
    )

    assert application_problems(case) == []


def test_heby_forvaltning_may_apply_alone(filled):
    case, users = filled("heby")

    case = change(case, users, units=[], external_actors=[])

    assert application_problems(case) == []


def test_applicant_unit_of_a_kind_that_may_not_apply_refused(filled):
    case, users = filled("heby")

    case = change(case, users, applicant_unit=unit(case, "Socialnämnden"))

    assert application_problems(case) == [
        Problem("applicant_unit", "Socialnämnden kan inte söka: bara förvaltning får söka.")
    ]


def test_application_without_applicant_unit_refused(filled):
    case, users = filled("ystad")

    case = change(case, users, applicant_unit=None, units=[unit(case, "Individ- och familjeomsorgen")])

    assert application_problems(case) == [Problem("applicant_unit", "Ange vilken enhet som söker.")]


# ---- Project time and money ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period_end", "months", "accepted"),
    [
        (D(2028, 9, 30), 23, False),
        (D(2028, 10, 31), 24, True),
        (D(2030, 10, 31), 48, True),
        (D(2030, 11, 30), 49, False),
    ],
)
def test_ystad_project_time_two_to_four_years(filled, period_end, months, accepted):
    case, users = filled("ystad")

    case = change(case, users, period_start=D(2026, 11, 1), period_end=period_end)

    expected = (
        []
        if accepted
        else [Problem("period_end", f"Projekttiden är {months} månader; regelverket tillåter 24–48 månader.")]
    )
    assert application_problems(case) == expected


def test_end_before_start_refused(filled):
    case, users = filled("heby")

    case = change(case, users, period_start=D(2027, 1, 1), period_end=D(2027, 1, 1))

    assert application_problems(case) == [Problem("period_end", "Slutdatum måste vara efter startdatum.")]


def test_missing_period_refused(filled):
    case, users = filled("heby")

    case = change(case, users, period_start=None, period_end=None)

    assert application_problems(case) == [
        Problem("period_start", "Ange när insatsen startar."),
        Problem("period_end", "Ange när insatsen slutar."),
    ]


def test_missing_costs_refused(filled):
    case, users = filled("heby")

    case = change(case, users, costs={})

    assert application_problems(case) == [Problem("costs", "Ange kostnaden för varje år.")]


def test_costs_outside_project_time_refused(filled):
    case, users = filled("heby")
    years = range(case.period_start.year, case.period_end.year + 1)

    case = change(case, users, costs={**dict.fromkeys(years, Decimal(100_000)), 2025: Decimal(1), 2031: Decimal(1)})

    assert application_problems(case) == [Problem("costs", "Kostnader för år utanför projekttiden: 2025, 2031.")]


# ---- Target group --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "problem"),
    [
        (0, 25, None),
        (0, 26, "Målgruppen ska vara 0–25 år enligt regelverket."),
        (12, 12, None),
        (16, 12, "Högsta ålder måste vara minst lika hög som lägsta."),
        (None, 18, "Ange målgruppens ålder (från och till)."),
    ],
)
def test_ystad_target_group_ages_0_to_25(filled, low, high, problem):
    case, users = filled("ystad")

    case = change(case, users, target_min_age=low, target_max_age=high)

    assert application_problems(case) == ([Problem("target_max_age", problem)] if problem else [])


def test_heby_target_group_has_no_age_limits(filled):
    case, users = filled("heby")

    case = change(case, users, target_min_age=None, target_max_age=None)

    assert application_problems(case) == []


# ---- Sections, measurement plan, declarations --------------------------------------------------------

# The 16 points of Heby's § 4: the name, the time period and the cost per year are the form's
# fields (asked once); the other 13 are sections.
HEBY_SECTIONS = [
    "innehall",
    "metod",
    "delaktiga_verksamheter",
    "malgrupp",
    "identifiering_av_malgrupp",
    "effekter_for_malgruppen",
    "tidpunkt_for_effekter",
    "matning_av_effekter",
    "tidpunkter_for_matning",
    "minskade_totala_kostnader",
    "verksamheter_med_kostnadsminskning",
    "storlek_pa_kostnadsminskning",
    "period_for_kostnadsminskning",
]


def test_heby_all_13_sections_required(filled):
    case, users = filled("heby")

    case = change(case, users, sections={})

    assert application_problems(case) == [
        Problem(f"section_{key}", "Avsnittet måste fyllas i.") for key in HEBY_SECTIONS
    ]


def test_heby_name_period_and_cost_per_year_are_asked_once_as_fields(filled):
    case, users = filled("heby")

    case = change(case, users, title="", period_start=None, period_end=None, costs={})

    assert application_problems(case) == [
        Problem("title", "Ange insatsens namn."),
        Problem("period_start", "Ange när insatsen startar."),
        Problem("period_end", "Ange när insatsen slutar."),
    ]
    titles = [section.title for section in case.rules.application.sections]
    assert not {"Namn på investeringen", "Tidsperiod för investeringen", "Kostnad fördelad per år"} & set(titles)


def test_heby_costs_missing_refused_by_the_cost_field(filled):
    case, users = filled("heby")

    case = change(case, users, costs={})

    assert application_problems(case) == [Problem("costs", "Ange kostnaden för varje år.")]


def test_heby_section_of_only_spaces_refused(filled):
    case, users = filled("heby")

    case = change(case, users, sections={**case.sections, "metod": " \n "})

    assert application_problems(case) == [Problem("section_metod", "Avsnittet måste fyllas i.")]


def test_norrkoping_optional_section_may_be_empty(filled):
    case, users = filled("norrkoping")

    case = change(case, users, sections={**case.sections, "eu_finansiering": ""})

    assert application_problems(case) == []


def test_ystad_measurement_plan_required(filled):
    case, users = filled("ystad")

    case = change(case, users, measurement_plan="  ")

    assert application_problems(case) == [
        Problem("measurement_plan", "Regelverket kräver en mätplan för att ansökan ska vara komplett.")
    ]


def test_heby_measurement_plan_not_required(filled):
    case, users = filled("heby")

    case = change(case, users, measurement_plan="")

    assert application_problems(case) == []


def test_heby_required_declarations(filled):
    case, users = filled("heby")

    case = change(case, users, declarations={"nytt_for_heby": True})

    assert application_problems(case) == [
        Problem("declaration_effekt_pa_arbetslosheten", "Regelverket kräver att detta intygas."),
        Problem("declaration_minskade_kommunala_kostnader", "Regelverket kräver att detta intygas."),
    ]


def test_declaration_must_be_exactly_true(filled):
    case, users = filled("ystad")

    case = change(case, users, declarations={"forankrad_med_berorda": "ja"})

    assert application_problems(case) == [
        Problem("declaration_forankrad_med_berorda", "Regelverket kräver att detta intygas.")
    ]


# ---- Calendar: application windows and decision rounds ----------------------------------------------

NORRKOPING_WINDOWS = Problem(
    "__all__",
    "Ansökan kan bara lämnas in under ansökningsperioderna: Vårens ansökningsperiod (02-01–03-31), "
    "Höstens ansökningsperiod (09-01–10-31).",
)


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        ("2027-01-31 12:00 +01:00", False),
        ("2027-02-01 12:00 +01:00", True),
        ("2027-03-31 12:00 +02:00", True),
        ("2027-04-01 12:00 +02:00", False),
        ("2027-08-31 12:00 +02:00", False),
        ("2027-09-01 12:00 +02:00", True),
        ("2027-10-31 12:00 +01:00", True),
        ("2027-11-01 12:00 +01:00", False),
    ],
)
def test_norrkoping_application_windows(filled, time_machine, moment, inside):
    case, _ = filled("norrkoping")

    time_machine.move_to(moment)

    assert application_problems(case) == ([] if inside else [NORRKOPING_WINDOWS])


def test_norrkoping_window_follows_swedish_local_date(filled, time_machine):
    case, _ = filled("norrkoping")

    time_machine.move_to("2027-10-31 23:30 +00:00")  # already 1 November in Sweden

    assert application_problems(case) == [NORRKOPING_WINDOWS]


def test_window_for_spanning_new_year():
    windows = [ApplicationWindow(name="Vinter", opens="11-15", closes="01-15")]

    found = [window_for(windows, day) is not None for day in (D(2026, 11, 14), D(2026, 12, 31), D(2027, 1, 15))]

    assert found == [False, True, True]


def second_round(case, **fields):
    return DecisionRound.objects.create(
        municipality=case.municipality,
        name="Andra beslutstillfället",
        meeting_date=D(2026, 11, 20),
        requires_remaining_funds=True,
        **fields,
    )


def ledger_leaves(users, appropriation_2026, *, fund=True):
    """Ystad's fund, with 5 MSEK reserved and ``appropriation_2026`` appropriated for 2026: what
    remains for the year by the ledger (no fund at all when ``fund`` is false)."""
    from funds import services as funds

    if not fund:
        return
    controller = users["controller"]
    ledger = funds.create_fund(controller, controller.municipality)
    funds.record_reservation(ledger, controller, amount=Decimal(5_000_000), year=2026, basis="KF § 1")
    if appropriation_2026:
        funds.record_appropriation(ledger, controller, amount=appropriation_2026, year=2026, basis="KF MRP")


@pytest.mark.parametrize(
    ("fund", "remaining", "remaining_text"),
    [
        (False, None, "0"),
        (True, None, "0"),
        (True, Decimal(1_000_000), "1 000 000"),
        (True, Decimal("1499999.50"), "1 499 999,50"),
    ],
)
def test_ystad_round_requiring_remaining_funds_refused_without_enough(filled, fund, remaining, remaining_text):
    case, users = filled("ystad")
    ledger_leaves(users, remaining, fund=fund)

    case = change(case, users, decision_round=second_round(case))

    remaining_text = remaining_text.replace(" ", NBSP)
    assert application_problems(case) == [
        Problem(
            "decision_round",
            f"Andra beslutstillfället hålls bara om medel återstår: enligt fondens huvudbok återstår "
            f"{remaining_text}{NBSP}kr för 2026, ansökan gäller 1{NBSP}500{NBSP}000{NBSP}kr.",
        )
    ]


def test_ystad_round_requiring_remaining_funds_accepted_with_enough(filled):
    case, users = filled("ystad")
    ledger_leaves(users, Decimal(1_500_000))

    case = change(case, users, decision_round=second_round(case))

    assert application_problems(case) == []


def test_ystad_decision_round_required(filled):
    case, users = filled("ystad")

    case = change(case, users, decision_round=None)

    assert application_problems(case) == [Problem("decision_round", "Välj vilket beslutstillfälle ansökan gäller.")]


@pytest.mark.parametrize(
    "fields", [{"is_open": False}, {"meeting_date": D(2026, 9, 14)}], ids=["closed", "meeting-passed"]
)
def test_ystad_decision_round_not_taking_applications_refused(filled, fields):
    case, users = filled("ystad")
    round_ = DecisionRound.objects.create(
        municipality=case.municipality, name="Första beslutstillfället", meeting_date=D(2026, 12, 1)
    )
    DecisionRound.objects.filter(pk=round_.pk).update(**fields)

    case = change(case, users, decision_round=round_)

    assert application_problems(case) == [Problem("decision_round", "Beslutstillfället tar inte emot ansökningar.")]


# ---- The idea -------------------------------------------------------------------------------------------


def test_empty_idea_lists_every_content_the_rule_set_asks_for(new_case):
    case, _ = new_case("ystad")

    assert idea_problems(case) == [
        Problem("idea_0", "Beskriv: Behovet som är utgångspunkt för idén."),
        Problem("idea_1", "Beskriv: Satsningens innehåll."),
        Problem("idea_2", "Beskriv: Vilka effekter som förväntas av genomförandet."),
    ]


def test_submit_idea_with_missing_content_refused(new_case):
    from applications.services.lifecycle import run_transition

    case, users = new_case("ystad")
    save_case(case, users["applicant"], fields={"idea": {"0": "Behov.", "1": "Innehåll."}})

    with pytest.raises(TransitionRefusedError) as refusal:
        run_transition(case, "submit_idea", users["applicant"])

    assert str(refusal.value) == (
        "Det saknas eller är fel i 1 fält: Beskriv: Vilka effekter som förväntas av genomförandet."
    )


# ---- Deadlines -----------------------------------------------------------------------------------------

ALE_SUMMER = (6, 7)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 5, 20), D(2026, 8, 20)),
        (D(2026, 3, 15), D(2026, 4, 15)),
        (D(2026, 6, 10), D(2026, 8, 30)),
        (D(2026, 7, 31), D(2026, 8, 31)),
        (D(2026, 12, 15), D(2027, 1, 15)),
    ],
)
def test_feedback_due_for_ale_one_month_without_june_and_july(received, due):
    assert feedback_due(received, months=1, excluded_months=ALE_SUMMER) == due


def test_feedback_due_extra_days():
    assert feedback_due(D(2026, 3, 15), months=1, days=10) == D(2026, 4, 25)


def test_feedback_due_without_excluded_months_counts_the_summer():
    assert feedback_due(D(2026, 6, 10)) == D(2026, 7, 10)


@pytest.mark.parametrize(
    ("start", "end", "middle"),
    [
        (D(2026, 1, 1), D(2026, 12, 31), D(2026, 7, 2)),
        (D(2026, 11, 1), D(2028, 10, 31), D(2027, 11, 1)),
        (D(2026, 3, 1), D(2026, 3, 3), D(2026, 3, 2)),
    ],
)
def test_half_time_is_the_middle_of_the_project(start, end, middle):
    assert half_time(start, end) == middle


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2026, 3, 1), D(2028, 2, 29), 24),
        (D(2026, 3, 1), D(2028, 2, 28), 23),
        (D(2026, 11, 1), D(2028, 10, 31), 24),
        (D(2026, 11, 1), D(2028, 9, 30), 23),
        (D(2026, 11, 1), D(2030, 11, 30), 49),
        (D(2026, 1, 15), D(2026, 2, 14), 1),
        (D(2026, 1, 15), D(2026, 2, 13), 0),
    ],
)
def test_whole_months_counts_the_end_day(start, end, months):
    assert whole_months(start, end) == months


@pytest.mark.parametrize(
    ("date", "months", "expected"),
    [(D(2026, 1, 31), 1, D(2026, 2, 28)), (D(2027, 12, 15), 2, D(2028, 2, 15)), (D(2028, 1, 31), 1, D(2028, 2, 29))],
)
def test_add_months_keeps_within_the_month(date, months, expected):
    assert add_months(date, months) == expected


# ---- Uploads -------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_add_attachment_stores_file_and_records_it(new_case, media):
    case, users = new_case("heby")

    attachment = add_attachment(case, users["applicant"], SimpleUploadedFile("kalkyl.pdf", PDF), max_mb=10)

    assert (attachment.original_name, attachment.size, attachment.content_type, attachment.uploaded_by) == (
        "kalkyl.pdf",
        len(PDF),
        "application/pdf",
        users["applicant"],
    )
    assert attachment.file.name == f"cases/heby/{case.pk}/kalkyl.pdf"
    assert (media / attachment.file.name).read_bytes() == PDF
    entry = AuditEntry.objects.for_object(case).get(action="case.attachment")
    assert entry.data == {"file": "kalkyl.pdf", "size": len(PDF)}


def test_add_attachment_of_wrong_content_refused(new_case, media):
    case, users = new_case("heby")

    with pytest.raises(TransitionRefusedError) as refusal:
        add_attachment(case, users["applicant"], SimpleUploadedFile("kalkyl.pdf", ZIP), max_mb=10)

    assert str(refusal.value) == "Filens innehåll är inte .pdf."
    assert CaseAttachment.objects.count() == 0


def test_add_attachment_after_submission_refused(new_case, media):
    case, users = new_case("heby")
    case = walk_to(case, S.SUBMITTED, users)

    with pytest.raises(TransitionRefusedError) as refusal:
        add_attachment(case, users["applicant"], SimpleUploadedFile("kalkyl.pdf", PDF), max_mb=10)

    assert str(refusal.value) == "Ärendet kan inte ändras när dess status är ”ansökan: inlämnad”."
    assert CaseAttachment.objects.count() == 0


def test_add_attachment_by_preparer_refused(new_case, media):
    case, users = new_case("heby")

    with pytest.raises(PermissionDenied):
        add_attachment(case, users["preparer"], SimpleUploadedFile("kalkyl.pdf", PDF), max_mb=10)

    assert CaseAttachment.objects.count() == 0
