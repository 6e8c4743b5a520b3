"""Decisions on a granted project: abort (or not), extension, change of design, and the decision
on implementation at its end. Each is recorded by the body its rule set names, with meeting, §
and reason, has a minutes extract, and moves the case; an abort or the project's end gives the
part of the grant not paid out back to the fund."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from applications.deadlines import add_months
from applications.enums import CaseState as S
from applications.models import Case
from applications.selectors import responsible_board
from applications.services import TransitionRefusedError
from applications.services.content import create_case
from applications.services.lifecycle import run_transition
from applications.services.steps import complete_step
from audit.models import AuditEntry
from decisions.models import Decision, DocumentKind, IssuedDocument
from decisions.models import DecisionKind as K
from decisions.services import issue_decision_documents, lifecycle_kinds_for
from demo.walk import complete_open_steps, decider, walk_to
from funds import selectors as fund_selectors
from funds import services as funds
from funds.enums import EntryKind
from funds.models import LedgerEntry
from tests.decisions.helpers import decide, decision_refused
from tests.decisions.test_decisions import pdf_text
from tests.funds.conftest import accepted_report, kr, set_up_fund

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 9, 15)


@pytest.fixture
def today(time_machine):
    """Cases filled in now run November 2026 – October 2028: 500 000 kr a year for 2026–2028."""
    time_machine.move_to("2026-09-15 10:00 +02:00")


def actions(case):
    return [entry.action for entry in AuditEntry.objects.for_object(case).order_by("id")]


def last(case, action):
    return AuditEntry.objects.for_object(case).filter(action=action).order_by("-id").first()


def evaluated(new_case, slug):
    """A case at its end, with the proposal step (where the rule set has one) still to do."""
    case, users = new_case(slug)
    return walk_to(case, S.EVALUATED, users), users


def proposal_step(case):
    return next(s for s in Case.objects.get(pk=case.pk).current_steps("implementation"))


# ---- Abort ----------------------------------------------------------------------------------------


def test_abort_in_ystad_is_kommunstyrelsens_decision_with_minutes_extract(new_case, today):
    case, users = new_case("ystad")
    case = walk_to(case, S.ABORT_PROPOSED, users)
    case = complete_open_steps(case, users)

    case, decision = decide(case, K.ABORT, users["decision_body"], paragraph=12, reason="Metoden går inte att använda.")
    documents = issue_decision_documents(decision, users["decision_body"])

    assert case.state == S.ABORTED
    assert (decision.body, decision.meeting_date, str(decision.paragraph), decision.kind, decision.reason) == (
        "Kommunstyrelsen",
        TODAY,
        "12",
        K.ABORT,
        "Metoden går inte att använda.",
    )
    assert str(decision) == "Kommunstyrelsen 2026-09-15 § 12"
    entry = last(case, "case.abort")
    assert (entry.from_state, entry.to_state, entry.reason, entry.data["decision"]) == (
        S.ABORT_PROPOSED,
        S.ABORTED,
        "Kommunstyrelsen 2026-09-15 § 12: Metoden går inte att använda.",
        "Kommunstyrelsen 2026-09-15 § 12",
    )
    assert actions(case)[-3:] == ["case.abort", "decision.recorded", "document.issued"]
    assert [(d.kind, d.title, d.case_id, d.decision_id) for d in documents] == [
        (
            DocumentKind.DECISION,
            f"Protokollsutdrag Kommunstyrelsen 2026-09-15 § 12, {case.number}",
            case.pk,
            decision.pk,
        )
    ]
    assert bytes(documents[0].content).startswith(b"%PDF-")


def test_continue_after_abort_proposal_is_a_decision_too(new_case, today):
    case, users = new_case("ystad")
    case = complete_open_steps(walk_to(case, S.ABORT_PROPOSED, users), users)

    case, decision = decide(case, K.CONTINUE, users["decision_body"], reason="Satsningen löper enligt plan.")

    assert (case.state, decision.kind, decision.body) == (S.RUNNING, K.CONTINUE, "Kommunstyrelsen")
    assert last(case, "case.continue_project").data["decision"] == str(decision)


def test_abort_by_bare_transition_refused(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)

    with pytest.raises(TransitionRefusedError) as refusal:
        run_transition(case, "abort", users["decision_body"], reason="Inte enligt plan.")

    assert str(refusal.value) == (
        "”Avbryt projektet” sker genom ett protokollfört beslut med sammanträdesdag, paragraf och motivering."
    )
    assert Case.objects.get(pk=case.pk).state == S.RUNNING


@pytest.mark.parametrize("slug", ["heby", "ale", "norrkoping"])
def test_abort_where_the_rule_set_has_none_refused(new_case, today, slug):
    case, users = new_case(slug)
    case = walk_to(case, S.RUNNING, users)

    refusal = decision_refused(case, K.ABORT, users["decision_body"])

    assert (str(refusal), refusal.field) == ("Regelverket har inget beslut om avbrott.", "kind")


def test_abort_of_a_finished_project_refused(new_case, today):
    case, users = evaluated(new_case, "sundsvall")

    refusal = decision_refused(case, K.ABORT, users["decision_body"])

    assert (str(refusal), refusal.field) == (
        "Åtgärden ”Avbryt projektet” går inte när projektet är utvärderat.",
        "kind",
    )


# ---- Refusals common to every lifecycle decision -------------------------------------------------


def test_lifecycle_decision_by_another_role_refused(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)

    reasons = {
        role: str(decision_refused(case, K.ABORT, user)) for role, user in users.items() if role != "decision_body"
    }

    assert set(reasons.values()) == {"Bara Ledningsgruppen kan fatta beslutet."}


def test_lifecycle_decision_by_another_municipality_refused(new_case, people, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)
    other = people("ystad")

    refusal = decision_refused(case, K.ABORT, other["decision_body"])

    assert str(refusal) == "Bara Ledningsgruppen kan fatta beslutet."


def test_lifecycle_decision_dated_before_submission_refused(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)

    refusal = decision_refused(case, K.ABORT, users["decision_body"], meeting_date=TODAY - datetime.timedelta(days=1))

    assert (str(refusal), refusal.field) == (
        f"Sammanträdesdagen 2026-09-14 ligger före den dag ansökan {case.number} kom in, 2026-09-15.",
        "meeting_date",
    )


def test_lifecycle_decision_dated_after_today_refused(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)

    refusal = decision_refused(case, K.ABORT, users["decision_body"], meeting_date=TODAY + datetime.timedelta(days=1))

    assert (str(refusal), refusal.field) == (
        "Sammanträdesdagen 2026-09-16 har inte varit än; ett beslut protokollförs efter sammanträdet.",
        "meeting_date",
    )


def test_lifecycle_decision_under_a_taken_paragraph_refused(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)
    decide(case, K.DESIGN_CHANGE, users["decision_body"], paragraph=7, change="Fler skolor deltar.")

    refusal = decision_refused(case, K.ABORT, users["decision_body"], paragraph=7)

    assert (str(refusal), refusal.field) == ("§ 7 vid sammanträdet 2026-09-15 är redan använd.", "paragraph")


def test_same_paragraph_at_another_body_is_free(new_case, today):
    """§ numbers run per body: kommunfullmäktige's § 7 is not ledningsgruppen's § 7."""
    case, users = evaluated(new_case, "sundsvall")
    other = walk_to(create_case(users["applicant"], title="Annan insats"), S.RUNNING, users)
    decide(other, K.DESIGN_CHANGE, users["decision_body"], paragraph=7, change="Fler skolor deltar.")
    complete_step(case, proposal_step(case).pk, users["decision_body"], outcome="positive", comment="Skala upp.")

    case, decision = decide(case, K.IMPLEMENT, users["council"], paragraph=7)

    assert (case.state, str(decision)) == (S.IMPLEMENTED, "Kommunfullmäktige 2026-09-15 § 7")


def test_lifecycle_decision_without_reason_refused(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)

    refusal = decision_refused(case, K.ABORT, users["decision_body"], reason="  ")

    assert (str(refusal), refusal.field) == ("Skriv beslutets motivering.", "reason")


# ---- Extension ------------------------------------------------------------------------------------


def test_extension_in_ale_is_kommunstyrelsens_decision(new_case, today):
    case, users = new_case("ale")
    case = walk_to(case, S.RUNNING, users)
    new_end = add_months(case.period_end, 12)

    case, decision = decide(case, K.EXTEND, users["decision_body"], reason="Omprövad.", new_end=new_end)
    documents = issue_decision_documents(decision, users["decision_body"])

    assert (case.state, case.end_date, decision.new_end, decision.body) == (
        S.EXTENDED,
        new_end,
        new_end,
        "Kommunstyrelsen",
    )
    assert [d.kind for d in documents] == [DocumentKind.DECISION]
    assert LedgerEntry.objects.count() == 0


# ---- Change of design -----------------------------------------------------------------------------


def test_design_change_in_sundsvall_recorded_without_state_change(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)

    case, decision = decide(
        case,
        K.DESIGN_CHANGE,
        users["decision_body"],
        paragraph=4,
        reason="Målgruppen nås bättre i skolan.",
        change="Insatsen flyttas från fritidsgården till skolorna.",
    )
    documents = issue_decision_documents(decision, users["decision_body"])

    assert case.state == S.RUNNING
    assert (decision.kind, decision.body, decision.change) == (
        K.DESIGN_CHANGE,
        "Ledningsgruppen",
        "Insatsen flyttas från fritidsgården till skolorna.",
    )
    entry = last(case, "case.design_changed")
    assert (entry.from_state, entry.to_state, entry.reason, entry.data) == (
        "",
        "",
        "Ledningsgruppen 2026-09-15 § 4: Insatsen flyttas från fritidsgården till skolorna.",
        {"decision": "Ledningsgruppen 2026-09-15 § 4", "change": "Insatsen flyttas från fritidsgården till skolorna."},
    )
    assert entry.description == "Upplägget ändrat genom beslut"
    assert [(d.kind, d.decision_id) for d in documents] == [(DocumentKind.DECISION, decision.pk)]
    assert LedgerEntry.objects.count() == 0


def test_design_change_without_the_change_refused(new_case, today):
    case, users = new_case("sundsvall")
    case = walk_to(case, S.RUNNING, users)

    refusal = decision_refused(case, K.DESIGN_CHANGE, users["decision_body"], change=" ")

    assert (str(refusal), refusal.field) == ("Beskriv vad i upplägget som ändras.", "change")


def test_design_change_after_the_project_refused(new_case, today):
    case, users = evaluated(new_case, "sundsvall")

    refusal = decision_refused(case, K.DESIGN_CHANGE, users["decision_body"], change="Annat upplägg.")

    assert (str(refusal), refusal.field) == (
        "Upplägget kan bara ändras medan projektet pågår, inte när projektet är utvärderat.",
        "kind",
    )


@pytest.mark.parametrize("slug", ["heby", "ale", "ystad", "norrkoping"])
def test_design_change_where_the_rule_set_has_none_refused(new_case, today, slug):
    case, users = new_case(slug)
    case = walk_to(case, S.RUNNING, users)

    refusal = decision_refused(case, K.DESIGN_CHANGE, users["decision_body"], change="Annat upplägg.")

    assert (str(refusal), refusal.field) == ("Regelverket har inget beslut om att ändra ett projekts upplägg.", "kind")


# ---- Implementation -------------------------------------------------------------------------------


def test_sundsvall_scale_up_proposed_by_ledningsgruppen_decided_by_kommunfullmaktige(new_case, today):
    case, users = evaluated(new_case, "sundsvall")
    step = proposal_step(case)

    early = decision_refused(case, K.IMPLEMENT, users["council"])
    complete_step(
        case, step.pk, users["decision_body"], outcome="positive", comment="Permanentas i alla skolor från 2029."
    )
    case, decision = decide(case, K.IMPLEMENT, users["council"], paragraph=88, reason="Insatsen är lyckad.")
    documents = issue_decision_documents(decision, users["council"])

    assert (step.name, step.actor_role) == (
        "Ledningsgruppens förslag till kommunfullmäktige om permanentning och uppskalning",
        "decision_body",
    )
    assert (str(early), early.field) == (
        "Steg som återstår: Ledningsgruppens förslag till kommunfullmäktige om permanentning och uppskalning "
        "(Ledningsgruppen).",
        "kind",
    )
    assert (case.state, str(decision)) == (S.IMPLEMENTED, "Kommunfullmäktige 2026-09-15 § 88")
    assert last(case, "case.step").data["step"] == step.name
    assert last(case, "case.implement").reason == "Kommunfullmäktige 2026-09-15 § 88: Insatsen är lyckad."
    assert [d.kind for d in documents] == [DocumentKind.DECISION]


def test_sundsvall_scale_up_by_ledningsgruppen_refused(new_case, today):
    case, users = evaluated(new_case, "sundsvall")
    complete_step(case, proposal_step(case).pk, users["decision_body"], outcome="positive", comment="Skala upp.")

    refusal = decision_refused(case, K.IMPLEMENT, users["decision_body"])

    assert str(refusal) == "Bara Kommunfullmäktige kan fatta beslutet."


def test_sundsvall_proposal_by_kommunfullmaktige_or_without_text_refused(new_case, today):
    case, users = evaluated(new_case, "sundsvall")
    step = proposal_step(case)

    with pytest.raises(TransitionRefusedError) as by_council:
        complete_step(case, step.pk, users["council"], outcome="positive", comment="Skala upp.")
    with pytest.raises(TransitionRefusedError) as without_text:
        complete_step(case, step.pk, users["decision_body"], outcome="positive", comment=" ")

    assert (str(by_council.value), str(without_text.value)) == (
        "Bara Ledningsgruppen kan göra detta steg.",
        "Skriv förslaget i kommentaren.",
    )
    assert proposal_step(case).is_pending


def test_sundsvall_evaluated_case_waits_for_the_proposal_then_for_kommunfullmaktige(new_case, today):
    from applications.selectors import waiting_for

    case, users = evaluated(new_case, "sundsvall")
    before = [(w.role, w.reason) for w in waiting_for(Case.objects.get(pk=case.pk))]
    complete_step(case, proposal_step(case).pk, users["decision_body"], outcome="positive", comment="Skala upp.")
    after = [(w.role, w.reason) for w in waiting_for(Case.objects.get(pk=case.pk))]

    assert before == [
        (
            "decision_body",
            "Steg: Ledningsgruppens förslag till kommunfullmäktige om permanentning och uppskalning.",
        )
    ]
    assert after == [("council", "Beslut om implementering saknas.")]


@pytest.mark.parametrize(
    ("slug", "role", "body"),
    [
        ("heby", "decision_body", "Kommunstyrelsen"),
        # Where nämnder decide, the decision is the responsible nämnd's, under its own name: the
        # nämnd at or above the applicant unit (Ystad's applicant here is the nämnd itself;
        # Norrköping's works at Socialkontoret).
        ("ystad", "board", "Barn- och utbildningsnämnden"),
        ("norrkoping", "board", "Socialnämnden"),
    ],
)
@pytest.mark.parametrize(("kind", "state"), [(K.IMPLEMENT, S.IMPLEMENTED), (K.NOT_IMPLEMENT, S.NOT_IMPLEMENTED)])
def test_implementation_decided_by_the_body_the_rule_set_names(new_case, today, slug, role, body, kind, state):
    case, users = evaluated(new_case, slug)
    deciding = decider(case, role, users)

    assert [k for k, _label in lifecycle_kinds_for(case, deciding)][:1] == [K.IMPLEMENT]
    case, decision = decide(case, kind, deciding)

    assert (case.state, decision.body, decision.kind) == (state, body, kind)


def other_namnds_representative(case):
    board = responsible_board(case)
    return User.objects.get(
        municipality=case.municipality,
        role_assignments__role="board",
        unit__kind="namnd",
        unit__in=case.municipality.units.exclude(pk=board.pk),
    )


def test_another_namnd_cannot_decide_on_implementation(new_case, today):
    case, _users = evaluated(new_case, "norrkoping")
    other = other_namnds_representative(case)

    refusal = decision_refused(case, K.IMPLEMENT, other)

    assert lifecycle_kinds_for(case, other) == []
    assert (str(refusal), refusal.field) == ("Bara Socialnämnden kan fatta beslutet.", None)


def test_the_responsible_namnds_decision_names_it_in_history_and_minutes(new_case, today, tmp_path):
    case, users = evaluated(new_case, "norrkoping")
    deciding = decider(case, "board", users)

    case, decision = decide(case, K.IMPLEMENT, deciding, paragraph=45, reason="Implementeras inom befintlig ram.")
    (extract,) = issue_decision_documents(decision, deciding)

    assert str(decision) == "Socialnämnden 2026-09-15 § 45"
    assert last(case, "case.implement").reason == "Socialnämnden 2026-09-15 § 45: Implementeras inom befintlig ram."
    assert "Socialnämnden beslutar att insatsen ska implementeras i ordinarie verksamhet." in pdf_text(
        extract, tmp_path
    )


def test_two_namnder_may_use_the_same_paragraph_at_the_same_date(new_case, today):
    # Each nämnd keeps its own minutes: Socialnämnden's § 45 does not take Utbildningsnämnden's.
    first, users = evaluated(new_case, "norrkoping")
    decide(first, K.IMPLEMENT, decider(first, "board", users), paragraph=45)
    second = create_case(users["applicant"], title="Andra insatsen")
    second.applicant_unit = other_namnds_representative(first).unit.children.get()
    second.save(update_fields=["applicant_unit"])
    second = walk_to(second, S.EVALUATED, users)

    second, decision = decide(second, K.IMPLEMENT, decider(second, "board", users), paragraph=45)

    assert (second.state, str(decision)) == (S.IMPLEMENTED, "Utbildningsnämnden 2026-09-15 § 45")


def test_ale_implementation_proposed_by_forvaltningsledningen_decided_by_kommunstyrelsen(new_case, today):
    # Ale's guideline names nobody for the implementation; its Beslutsordning is applied: förvaltnings-
    # ledningen prepares, kommunstyrelsen (which holds the funds) decides at a meeting, with a §.
    case, users = evaluated(new_case, "ale")
    step = proposal_step(case)
    early = decision_refused(case, K.IMPLEMENT, users["decision_body"])
    with pytest.raises(TransitionRefusedError) as by_ks:
        complete_step(case, step.pk, users["decision_body"], outcome="positive", comment="Implementera.")

    complete_step(case, step.pk, users["management"], outcome="positive", comment="Blir ordinarie verksamhet.")
    by_management = decision_refused(case, K.IMPLEMENT, users["management"])
    case, decision = decide(case, K.IMPLEMENT, users["decision_body"], paragraph=41, reason="Positiva effekter.")

    assert (step.name, step.actor_role) == ("Förvaltningsledningens förslag om implementering", "management")
    assert str(early) == "Steg som återstår: Förvaltningsledningens förslag om implementering (Förvaltningsledningen)."
    assert str(by_ks.value) == "Bara Förvaltningsledningen kan göra detta steg."
    assert str(by_management) == "Bara Kommunstyrelsen kan fatta beslutet."
    assert (case.state, str(decision)) == (S.IMPLEMENTED, "Kommunstyrelsen 2026-09-15 § 41")


def test_implement_by_bare_transition_refused(new_case, today):
    case, users = evaluated(new_case, "norrkoping")

    with pytest.raises(TransitionRefusedError) as refusal:
        run_transition(case, "implement", users["board"], reason="Bra.")

    assert str(refusal.value) == (
        "”Implementera” sker genom ett protokollfört beslut med sammanträdesdag, paragraf och motivering."
    )


# ---- Money: what an abort or the project's end releases ----------------------------------------


def granted_with_fund(new_case, slug, **fund):
    """A case granted 500 000 kr a year for 2026–2028 from a fund, the grant decided today."""
    case, users = new_case(slug)
    case = walk_to(case, S.READY_FOR_DECISION, users)
    fund = set_up_fund(users, **fund)
    years = {cost.year: cost.amount for cost in case.costs.all()}
    case, grant = decide(
        case, K.GRANT, users["decision_body"], amounts={case.pk: (sum(years.values(), Decimal(0)), years)}
    )
    return case, users, fund, grant


def releases(case):
    return [
        (e.year, e.amount, e.decision_id, e.basis)
        for e in LedgerEntry.objects.filter(case=case, kind=EntryKind.RELEASE).order_by("year")
    ]


def test_abort_releases_the_years_not_paid_out(new_case, today):
    appropriations = {2026: 1_000_000, 2027: 1_000_000, 2028: 1_000_000}
    case, users, fund, _grant = granted_with_fund(new_case, "ystad", reserved=5_000_000, appropriations=appropriations)
    case = walk_to(case, S.RUNNING, users)
    accepted_report(case, {2026: 200_000})  # Ystad compensates the costs an accepted report states
    funds.record_payout(case, users["controller"], amount=kr(200_000), year=2026, reference="Delårsrapport 2026")
    case = walk_to(case, S.ABORT_PROPOSED, users)
    case = complete_open_steps(case, users)

    case, abort = decide(case, K.ABORT, users["decision_body"], reason="Behovet har förändrats.")

    assert releases(case) == [
        (2026, Decimal("300000.00"), abort.pk, str(abort)),
        (2027, Decimal("500000.00"), abort.pk, str(abort)),
        (2028, Decimal("500000.00"), abort.pk, str(abort)),
    ]
    mine = fund_selectors.case_balances(fund, case)
    assert [(b.year, b.committed, b.paid, b.released) for b in mine.year_list] == [
        (2026, Decimal("200000.00"), Decimal("200000.00"), Decimal("300000.00")),
        (2027, Decimal("0.00"), Decimal("0.00"), Decimal("500000.00")),
        (2028, Decimal("0.00"), Decimal("0.00"), Decimal("500000.00")),
    ]
    balances = fund_selectors.fund_balances(fund)
    assert (balances.committed, balances.paid, balances.available) == (
        Decimal("200000.00"),
        Decimal("200000.00"),
        Decimal("4800000.00"),
    )
    assert [(b.year, b.available) for b in balances.year_list] == [
        (2026, Decimal("800000.00")),
        (2027, Decimal("1000000.00")),
        (2028, Decimal("1000000.00")),
    ]
    assert [e.data["kind"] for e in AuditEntry.objects.for_object(case).filter(action="case.money").order_by("id")][
        -3:
    ] == [EntryKind.RELEASE] * 3


def aborted_after_a_compensated_report(new_case):
    """A Ystad project granted 500 000 kr a year for 2026–2028, its 2026 costs of 200 000 kr
    reported and compensated, aborted by kommunstyrelsen."""
    appropriations = {2026: 1_000_000, 2027: 1_000_000, 2028: 1_000_000}
    case, users, _fund, _grant = granted_with_fund(new_case, "ystad", reserved=5_000_000, appropriations=appropriations)
    case = walk_to(case, S.RUNNING, users)
    accepted_report(case, {2026: 200_000})
    funds.record_payout(case, users["controller"], amount=kr(200_000), year=2026, reference="Delårsrapport 2026")
    case = complete_open_steps(walk_to(case, S.ABORT_PROPOSED, users), users)
    case, abort = decide(case, K.ABORT, users["decision_body"], paragraph=17, reason="Behovet har förändrats.")
    return case, users, abort


def test_aborted_case_page_shows_its_planned_end_and_lapsed_reports(client, new_case, today, time_machine):
    """After the abort the project owes no reports: those not handed in lapse and never become
    overdue, and the planned end is no longer said to be when the project ends."""
    case, users, _abort = aborted_after_a_compensated_report(new_case)
    time_machine.move_to("2028-06-01 10:00 +02:00")  # every report's due date but the last has passed
    client.force_login(users["applicant"])

    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    assert f"<dt>Planerat slut (projektet avbröts)</dt><dd>{case.end_date:%Y-%m-%d}</dd>" in html
    assert "Projektet slutar" not in html
    open_reports = case.reporting_obligations.exclude(status="accepted").count()
    assert open_reports > 1
    assert html.count("utgår (ärendets status: avbrutet)") == open_reports
    assert "försenad" not in html


def test_fund_page_shows_each_release_per_year_naming_the_abort_once(client, new_case, today):
    case, users, abort = aborted_after_a_compensated_report(new_case)
    client.force_login(users["controller"])

    html = client.get(reverse("funds:detail", args=[case.municipality.slug])).content.decode()

    years = re.findall(r'<tr><th scope="row">(\d{4})</th>(.*?)</tr>', html, re.S)
    released = {year: re.findall(r'<td class="text-end">([^<]*)</td>', cells)[3] for year, cells in years}
    assert released == {"2026": "300\xa0000\xa0kr", "2027": "500\xa0000\xa0kr", "2028": "500\xa0000\xa0kr"}
    rows = re.findall(r"<tr>\s*<td>\d+</td>.*?</tr>", html, re.S)
    release_rows = [row for row in rows if "Frigjort åtagande" in row]
    assert len(release_rows) == 3
    assert all(row.count(str(abort)) == 1 for row in release_rows), release_rows


def test_abort_extract_states_the_money_released(new_case, today, tmp_path):
    appropriations = {2026: 1_000_000, 2027: 1_000_000, 2028: 1_000_000}
    case, users, _fund, _grant = granted_with_fund(new_case, "ystad", reserved=5_000_000, appropriations=appropriations)
    case = complete_open_steps(walk_to(case, S.ABORT_PROPOSED, users), users)
    case, abort = decide(case, K.ABORT, users["decision_body"], paragraph=17, reason="Behovet har förändrats.")

    documents = issue_decision_documents(abort, users["decision_body"])
    text = " ".join(pdf_text(documents[0], tmp_path).split())

    assert IssuedDocument.objects.filter(decision=abort).count() == 1
    assert documents[0].sha256 == IssuedDocument.objects.get(decision=abort).sha256
    for expected in (
        "Kommunstyrelsen, sammanträde 2026-09-15",
        f"§ 17 {case.number}",
        "Kommunstyrelsen beslutar att avbryta insatsen.",
        "Medel som återförs till fonden",
        "2026: 500 000 kr",
        "2027: 500 000 kr",
        "2028: 500 000 kr",
        "Behovet har förändrats.",
    ):
        assert expected in text
    assert "§ §" not in text


def test_scale_up_extract_names_ledningsgruppens_proposal(new_case, today, tmp_path):
    case, users = evaluated(new_case, "sundsvall")
    complete_step(
        case, proposal_step(case).pk, users["decision_body"], outcome="positive", comment="Permanentas i alla skolor."
    )
    case, decision = decide(case, K.IMPLEMENT_PARTLY, users["council"], paragraph=88)

    text = " ".join(pdf_text(issue_decision_documents(decision, users["council"])[0], tmp_path).split())

    for expected in (
        "Kommunfullmäktige, sammanträde 2026-09-15",
        "Kommunfullmäktige beslutar att de lyckade delarna av insatsen ska implementeras i ordinarie verksamhet.",
        "Förslag",
        "Ledningsgruppens förslag till kommunfullmäktige om permanentning och uppskalning, 2026-09-15: "
        "Permanentas i alla skolor.",
    ):
        assert expected in text


@pytest.mark.parametrize(("kind", "state"), [(K.IMPLEMENT, S.IMPLEMENTED), (K.NOT_IMPLEMENT, S.NOT_IMPLEMENTED)])
def test_project_end_releases_what_was_not_paid_out(new_case, today, kind, state):
    case, users, fund, _grant = granted_with_fund(new_case, "norrkoping", reserved=40_000_000)
    case = walk_to(case, S.RUNNING, users)
    funds.record_payout(case, users["controller"], amount=kr(500_000), year=2026)
    funds.record_payout(case, users["controller"], amount=kr("312500.50"), year=2027)
    case = walk_to(case, S.EVALUATED, users)

    case, end = decide(case, kind, decider(case, "board", users), reason="Enligt utvärderingen.")

    assert case.state == state
    assert releases(case) == [
        (2027, Decimal("187499.50"), end.pk, str(end)),
        (2028, Decimal("500000.00"), end.pk, str(end)),
    ]
    balances = fund_selectors.fund_balances(fund)
    assert (balances.committed, balances.paid, balances.available) == (
        Decimal("812500.50"),
        Decimal("812500.50"),
        Decimal("39187499.50"),
    )


def test_release_skips_a_closed_year(new_case, today):
    case, users, fund, _grant = granted_with_fund(new_case, "norrkoping", reserved=40_000_000)
    case = walk_to(case, S.EVALUATED, users)
    funds.close_year(fund, users["controller"], 2026)

    case, _end = decide(case, K.NOT_IMPLEMENT, decider(case, "board", users))

    assert [(year, amount) for year, amount, _d, _b in releases(case)] == [
        (2027, Decimal("500000.00")),
        (2028, Decimal("500000.00")),
    ]


def test_extension_continue_and_design_change_release_nothing(new_case, today):
    case, users, _fund, _grant = granted_with_fund(
        new_case, "sundsvall", reserved=10_000_000, appropriations={2026: 2_000_000, 2027: 2_000_000, 2028: 2_000_000}
    )
    case = walk_to(case, S.RUNNING, users)
    before = LedgerEntry.objects.count()

    case, _change = decide(case, K.DESIGN_CHANGE, users["decision_body"], change="Fler skolor.")
    case, _extension = decide(case, K.EXTEND, users["decision_body"], new_end=add_months(case.end_date, 6))

    assert LedgerEntry.objects.count() == before
    assert Decision.objects.filter(kind__in=[K.DESIGN_CHANGE, K.EXTEND]).count() == 2


def test_release_without_a_fund_writes_nothing(new_case, today):
    case, users = evaluated(new_case, "norrkoping")

    case, _end = decide(case, K.IMPLEMENT, decider(case, "board", users))

    assert (case.state, LedgerEntry.objects.count()) == (S.IMPLEMENTED, 0)
