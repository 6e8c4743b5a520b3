"""Demo data: the five municipalities' organisation, external actors and one account per role.

Idempotent: running it again creates nothing twice. Demo accounts share the password 'demo' and
are listed on the login page only in demo mode.
"""

import datetime
from decimal import Decimal

import time_machine
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.models import RoleAssignment, User
from applications.enums import STAGE_OF_STATE, CaseState
from applications.models import Case, DecisionRound
from applications.services import notices
from applications.services.content import create_case
from applications.services.signing import request_signatures
from applications.signatures import missing_signatures
from consultations.services import request_consultation
from decisions.models import Decision
from decisions.services import issue_decision_documents
from discussion.services import post_comment
from evaluation.services import enter_indicator_value, save_calculation, save_measurement_plan, seed_unit_costs
from funds import selectors as fund_selectors
from funds import services as funds
from funds.enums import PAYABLE_STATES
from funds.models import Fund
from municipalities.enums import ActorKind, UnitKind
from municipalities.models import ExternalActor, Municipality, OrganisationalUnit
from municipalities.rulebook.enums import CriterionKind, ReviewStage, SignatureWhen
from municipalities.services import designate_unit_head
from repayment import services as repayment
from reporting.models import ObligationStatus
from reporting.selectors import report_headings, report_years, submittable_from
from reporting.services import review_report, save_report
from reviews.selectors import stage_criteria
from reviews.services import assign_reviewer, save_review

from .funds_walk import approve_payout_plan, write_payout_plan
from .walk import walk_to

DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts are public by design
DEMO_DOMAIN = "demo.fonden.se"

# Local part of each demo account's address, per role.
ROLE_LOGINS = {
    Role.APPLICANT: "sokande",
    Role.PREPARER: "beredare",
    Role.MANAGEMENT: "ledning",
    Role.BOARD: "namnd",
    Role.DECISION_BODY: "beslut",
    Role.CONTROLLER: "controller",
    Role.COUNCIL: "fullmaktige",
    Role.MUNICIPAL_ADMIN: "admin",
}
ROLE_PERSON_NAMES = {
    Role.APPLICANT: "Sara Sökande",
    Role.PREPARER: "Bengt Beredare",
    Role.MANAGEMENT: "Lena Ledning",
    Role.BOARD: "Nils Nämnd",
    Role.DECISION_BODY: "Britt Beslut",
    Role.CONTROLLER: "Conny Controller",
    Role.COUNCIL: "Folke Fullmäktige",
    Role.MUNICIPAL_ADMIN: "Anna Admin",
}
# What the demo people do: the documents they write or handle print it beside their name.
ROLE_TITLES = {
    Role.APPLICANT: "Utvecklingsledare",
    Role.PREPARER: "Utvecklingsstrateg, sociala investeringar",
    Role.MANAGEMENT: "Kommundirektör",
    Role.BOARD: "Nämndens ordförande",
    Role.DECISION_BODY: "Kommunsekreterare",
    Role.CONTROLLER: "Controller",
    Role.COUNCIL: "Fullmäktigesekreterare",
    Role.MUNICIPAL_ADMIN: "Systemförvaltare",
}

N, F, S, K, B = UnitKind.NAMND, UnitKind.FORVALTNING, UnitKind.SEKTOR, UnitKind.KONTOR, UnitKind.BOLAG

# (name, kind, parent name or None), parents listed before their children.
UNITS = {
    "heby": [
        ("Kommunstyrelsen", UnitKind.STYRELSE, None),
        ("Socialnämnden", N, None),
        ("Barn- och utbildningsnämnden", N, None),
        ("Socialförvaltningen", F, "Socialnämnden"),
        ("Barn- och utbildningsförvaltningen", F, "Barn- och utbildningsnämnden"),
        ("Kommunledningsförvaltningen", F, "Kommunstyrelsen"),
    ],
    "ale": [
        ("Kommunstyrelsen", UnitKind.STYRELSE, None),
        ("Sektor utbildning, kultur och fritid", S, None),
        ("Sektor arbete, trygghet och omsorg", S, None),
        ("Sektor samhällsbyggnad", S, None),
        ("Sektor kommunstyrelsen", S, "Kommunstyrelsen"),
    ],
    "sundsvall": [
        ("Kommunstyrelsen", UnitKind.STYRELSE, None),
        ("Barn- och utbildningsnämnden", N, None),
        ("Socialnämnden", N, None),
        ("Kultur- och fritidsnämnden", N, None),
        ("Barn- och utbildningsförvaltningen", F, "Barn- och utbildningsnämnden"),
        ("Individ- och arbetslivsförvaltningen", F, "Socialnämnden"),
        ("Kultur- och fritidsförvaltningen", F, "Kultur- och fritidsnämnden"),
    ],
    "ystad": [
        ("Kommunstyrelsen", UnitKind.STYRELSE, None),
        ("Barn- och utbildningsnämnden", N, None),
        ("Socialnämnden", N, None),
        ("Kultur- och utbildningsnämnden", N, None),
        ("Barn- och utbildningsförvaltningen", F, "Barn- och utbildningsnämnden"),
        ("Socialförvaltningen", F, "Socialnämnden"),
        ("Kultur- och utbildningsförvaltningen", F, "Kultur- och utbildningsnämnden"),
        ("Ystad Bostäder AB", B, "Kommunstyrelsen"),
        ("Elevhälsan", UnitKind.VERKSAMHET, "Barn- och utbildningsförvaltningen"),
        ("Individ- och familjeomsorgen", UnitKind.VERKSAMHET, "Socialförvaltningen"),
        ("Fritidsgårdarna", UnitKind.VERKSAMHET, "Kultur- och utbildningsförvaltningen"),
    ],
    "norrkoping": [
        ("Kommunstyrelsen", UnitKind.STYRELSE, None),
        ("Utbildningsnämnden", N, None),
        ("Socialnämnden", N, None),
        ("Utbildningskontoret", K, "Utbildningsnämnden"),
        ("Socialkontoret", K, "Socialnämnden"),
        ("Kultur- och fritidskontoret", K, None),
        ("Kommunstyrelsens kontor", K, "Kommunstyrelsen"),
    ],
}

ACTORS = [
    ("Föreningen Fritid för alla", ActorKind.CIVIL_SOCIETY),
    ("Stiftelsen Barnens framtid", ActorKind.CIVIL_SOCIETY),
    ("Regionens barn- och ungdomspsykiatri", ActorKind.OTHER_PUBLIC),
    ("Arbetsförmedlingen", ActorKind.OTHER_PUBLIC),
    ("Konsultbolaget Insats AB", ActorKind.FOR_PROFIT),
]


def _applicant_units(municipality):
    """The units whose staff may apply under the rule set in force, in the demo's order."""
    ruleset = municipality.active_ruleset
    kinds = ruleset.rules.eligibility.applicant_unit_kinds if ruleset else [F, S, K]
    units = [(name, kind) for name, kind, _parent in UNITS[municipality.slug] if kind in kinds]
    # Staff work in the administrations and operations, not in the political boards.
    return [name for name, kind in sorted(units, key=lambda unit: unit[1] in (N, UnitKind.STYRELSE))]


@transaction.atomic
def load_demo():
    """Create or complete the demo organisation and accounts. Returns the demo users."""
    users = []
    for municipality in Municipality.objects.filter(slug__in=UNITS):
        created_units = {}
        for name, kind, parent_name in UNITS[municipality.slug]:
            unit, _ = OrganisationalUnit.objects.get_or_create(
                municipality=municipality,
                name=name,
                defaults={"kind": kind, "parent": created_units.get(parent_name)},
            )
            created_units[name] = unit
        for name, kind in ACTORS:
            ExternalActor.objects.get_or_create(municipality=municipality, name=name, defaults={"kind": kind})
        seed_unit_costs(municipality)
        applicant_units = _applicant_units(municipality)
        namnder = [created_units[name] for name, kind, _parent in UNITS[municipality.slug] if kind == N]
        for role, local_part in ROLE_LOGINS.items():
            user = _demo_user(
                f"{local_part}.{municipality.slug}@{DEMO_DOMAIN}",
                ROLE_PERSON_NAMES[role],
                municipality=municipality,
                unit=_demo_unit(role, created_units, applicant_units, namnder),
                title=ROLE_TITLES[role],
            )
            RoleAssignment.objects.get_or_create(user=user, role=role)
            users.append(user)
        for number, namnd in enumerate(namnder[1:], start=2):
            # A nämnd representative speaks only for their own nämnd: one for each nämnd.
            representative = _demo_user(
                f"namnd{number}.{municipality.slug}@{DEMO_DOMAIN}",
                f"Nämndrepresentant {namnd.name}",
                municipality=municipality,
                unit=namnd,
            )
            RoleAssignment.objects.get_or_create(user=representative, role=Role.BOARD)
            users.append(representative)
        if len(applicant_units) > 1:
            # A colleague at a partner unit, who takes part in its cases.
            colleague = _demo_user(
                f"sokande2.{municipality.slug}@{DEMO_DOMAIN}",
                "Kim Kollega",
                municipality=municipality,
                unit=created_units[applicant_units[1]],
            )
            RoleAssignment.objects.get_or_create(user=colleague, role=Role.APPLICANT)
            users.append(colleague)
        users += _demo_unit_heads(municipality, created_units)
    users.append(_demo_user(f"systemadmin@{DEMO_DOMAIN}", "Sigrid Systemadmin", is_staff=True, is_superuser=True))
    ensure_demo_rounds()
    return users


def _demo_unit(role, created_units, applicant_units, namnder):
    """Where a demo account works: the applicant at the first unit that may apply, the nämnd
    representative in the first nämnd; the others in no particular unit."""
    if role == Role.APPLICANT:
        return created_units.get(applicant_units[0])
    if role == Role.BOARD and namnder:
        return namnder[0]
    return None


HEAD_NAMES = ["Helena Huvudman", "Christer Chefsson", "Karin Kontorsson", "Fredrik Förvaltare"]


def _demo_unit_heads(municipality, units):
    """A designated head (a demo account) for each unit whose head signs under the rule set, and a
    deputy for the first, designated by the municipality's admin as on the units page."""
    rules = municipality.active_ruleset.rules
    kinds = [rule.head_unit_kind for rule in rules.application.signatures if rule.signs_for_units]
    if not kinds:
        return []
    titles = {rule.head_unit_kind: (rule.head_title, rule.head_title_definite) for rule in rules.application.signatures}
    admin = User.objects.get(email=f"{ROLE_LOGINS[Role.MUNICIPAL_ADMIN]}.{municipality.slug}@{DEMO_DOMAIN}")
    heads = []
    signing = [unit for name, kind, _parent in UNITS[municipality.slug] if kind in kinds for unit in [units[name]]]
    for index, unit in enumerate(signing, start=1):
        title, definite = titles[unit.kind]
        head = _demo_user(
            f"chef{index}.{municipality.slug}@{DEMO_DOMAIN}",
            HEAD_NAMES[(index - 1) % len(HEAD_NAMES)],
            municipality=municipality,
            unit=unit,
            title=f"{title[:1].upper()}{title[1:]}, {unit.name}",
        )
        heads.append(head)
        deputies = []
        if index == 1:
            deputies.append(
                _demo_user(
                    f"ersattare.{municipality.slug}@{DEMO_DOMAIN}",
                    "Erik Ersättare",
                    municipality=municipality,
                    unit=unit,
                    title=f"Ersättare för {definite}, {unit.name}",
                )
            )
            heads += deputies
        if unit.head_id is None:
            designate_unit_head(unit, admin, head=head, deputies=deputies)
    return heads


def _demo_user(email, full_name, **fields):
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_demo": True, **fields}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


DEMO_TITLES = [
    "Tidiga insatser i förskolan",
    "Familjecentral i samverkan",
    "Skolnärvaro – tillbaka till skolan",
    "Unga vuxna i arbete",
    "Föräldrastöd för tonåringar",
    "Psykisk hälsa i mellanstadiet",
    "Läsfrämjande för nyanlända",
    "Fältare i kvällstid",
    "Mentorer för gymnasieelever",
    "Samordnad elevhälsa",
    "Idrott som väg till sysselsättning",
    "Barnens bästa i familjehem",
    "Sommarjobb med handledning",
    "Tidig upptäckt av ohälsa",
    "Stöd till barn i missbruksmiljö",
]


def demo_targets(rules):
    """One demo case per state the rule set uses, from idea to implementation."""
    wanted = [
        CaseState.IDEA_SUBMITTED,
        CaseState.IDEA_IN_REVIEW,
        CaseState.DRAFT,
        CaseState.SUBMITTED,
        CaseState.IN_PREPARATION,
        CaseState.READY_FOR_DECISION,
        CaseState.REJECTED,
        CaseState.STARTING,
        CaseState.RUNNING,
        CaseState.EXTENDED,
        CaseState.ABORT_PROPOSED,
        CaseState.FINAL_REPORT,
        CaseState.EVALUATED,
        CaseState.IMPLEMENTED,
        CaseState.PARTLY_IMPLEMENTED,
    ]
    return [
        state
        for state in wanted
        if rules.uses_stage(STAGE_OF_STATE[state])
        and (state != CaseState.PARTLY_IMPLEMENTED or rules.partial_implementation_allowed)
        # Where the body decides an abort without a proposal (Sundsvall), no case waits on one.
        and (state != CaseState.ABORT_PROPOSED or rules.abort_proposer_role)
        and (state != CaseState.FINAL_REPORT or rules.reporting.has_final_report)
    ]


def ensure_demo_rounds(year=None):
    """Coming decision rounds for rule sets that have them (Ystad: spring, and autumn only if money
    remains), so a demo applicant has a round to apply for."""
    year = year or datetime.date.today().year + 1
    for municipality in Municipality.objects.filter(slug__in=UNITS):
        rounds = municipality.active_ruleset.rules.calendar.decision_rounds
        for index, round_ in enumerate(rounds):
            DecisionRound.objects.get_or_create(
                municipality=municipality,
                name=round_.name,
                meeting_date=datetime.date(year, 3 + 6 * index, 15),
                defaults={"requires_remaining_funds": round_.requires_remaining_funds},
            )


def load_demo_cases(stdout=None, slugs=None):
    """Walk demo cases into every stage each rule set uses, through the ordinary services, as if
    they had happened over the past months (their history carries those dates). Idempotent. With
    ``slugs``, only those municipalities' cases."""
    created = 0
    # The walks tell nobody of months of old news; the demo people are told what waits for them now.
    with notices.held_back():
        for municipality in Municipality.objects.filter(slug__in=slugs or UNITS).order_by("name"):
            if Case.objects.filter(municipality=municipality, created_by__is_demo=True).exists():
                continue
            created += _load_municipality_cases(municipality, stdout)
    notices.notify_open_waits()
    return created


@transaction.atomic
def _load_municipality_cases(municipality, stdout):
    users = {
        role.value: User.objects.get(email=f"{local}.{municipality.slug}@{DEMO_DOMAIN}")
        for role, local in ROLE_LOGINS.items()
    }
    rules = municipality.active_ruleset.rules
    targets = demo_targets(rules)
    fund_created = _demo_fund(municipality, users)
    for index, target in enumerate(targets):
        # Submitted last spring, inside every municipality's application windows, and decided by
        # the decision body at a meeting two weeks later: a recorded decision with its §, the
        # amounts split per year and the commitment in the fund, as a user's decision is.
        moment = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC) + datetime.timedelta(days=index)
        decided = target in DEMO_GRANTED_STATES or target == CaseState.REJECTED
        with time_machine.travel(moment):
            case = create_case(users["applicant"], title=DEMO_TITLES[index % len(DEMO_TITLES)])
            case = walk_to(case, CaseState.READY_FOR_DECISION if decided else target, users)
        if decided:
            with time_machine.travel(moment + DEMO_DAYS_TO_DECISION):
                case = walk_to(case, target, users)
                _issue_demo_decision_documents(case, users)
        if target == CaseState.DRAFT:
            _ask_demo_signatures(case, users)
        if target == CaseState.IN_PREPARATION:
            _prepare_demo_case(case, users)
        if target in (CaseState.RUNNING, CaseState.EXTENDED):
            _evaluate_demo_case(case, users)
            _report_demo_case(case, users, accept=target == CaseState.RUNNING)
        if stdout:
            stdout.write(
                f"  {municipality.slug}: {case.number or '(utkast)'} {case.title} – {case.get_state_display()}\n"
            )
    if fund_created:
        _demo_payouts(municipality, users)
    return len(targets)


DEMO_DAYS_TO_DECISION = datetime.timedelta(days=14)
# The demo issues the minutes extract and the letter of each decision, as a user's decision does.
DEMO_ISSUES_DECISION_DOCUMENTS = True


def _issue_demo_decision_documents(case, users):
    if not DEMO_ISSUES_DECISION_DOCUMENTS:
        return
    for decision in Decision.objects.filter(lines__case=case):
        issue_decision_documents(decision, users["decision_body"])


# The demo fund: a reservation (Norrköping's 40 MSEK from its rule set) and, where the rule set has
# them, appropriations of 6 MSEK a year for 2026–2029. The demo's granted cases take 500 000 kr a
# year each for 2026–2028 (at most nine cases: 4.5 MSEK a year), so a case decided in the demo still
# fits, whether its years start now or next year.
DEMO_RESERVATION = Decimal("20000000.00")
DEMO_APPROPRIATION = Decimal("6000000.00")
DEMO_YEARS = [2026, 2027, 2028, 2029]


def _demo_fund(municipality, users):
    """The fund and its money, in place before the demo's cases are decided, so each decision
    commits its grant. Returns whether the demo created it (a fund set up by hand is left alone)."""
    if Fund.objects.filter(municipality=municipality).exists():
        return False
    controller = users["controller"]
    policy = municipality.active_ruleset.rules.money.fund
    start = datetime.date(2026, 1, 15)
    with time_machine.travel(datetime.datetime(2026, 1, 15, 9, 0, tzinfo=datetime.UTC)):
        fund = funds.create_fund(controller, municipality)
        if policy.holds_reservation:
            amount = Decimal(policy.initial_amount or DEMO_RESERVATION)
            funds.record_reservation(
                fund, controller, amount=amount, year=2026, basis="KF 2025-11-24 § 183", entry_date=start
            )
        if policy.uses_yearly_appropriation:
            # Mål och budget 2026 with its plan for the following years, adopted by KF in November.
            for year in DEMO_YEARS:
                funds.record_appropriation(
                    fund,
                    controller,
                    amount=DEMO_APPROPRIATION,
                    year=year,
                    basis=f"KF mål och budget 2026, plan {year}",
                    entry_date=start,
                )
    return True


def _demo_payouts(municipality, users):
    """Some payouts to the demo's granted projects, and a repayment plan where the rule set has
    one, through the same services as the pages."""
    controller = users["controller"]
    money = municipality.active_ruleset.rules.money
    granted = Case.objects.filter(
        municipality=municipality, created_by__is_demo=True, state__in=DEMO_GRANTED_STATES
    ).order_by("pk")
    for case in granted.filter(state__in=PAYABLE_STATES).exclude(state=CaseState.STARTING):
        if money.payouts.needs_payout_plan:
            # A project walked through its start has its plan already: the start's steps stand for it.
            write_payout_plan(case, users)
            approve_payout_plan(case, users)
        payouts = ((datetime.date(2026, 6, 30), "250000.00"), (datetime.date(2026, 10, 31), "250000.00"))
        if money.payouts.is_budget_compensation:
            # Budget compensation pays the costs an accepted report states, and no more.
            reported = fund_selectors.reported_costs(case, 2026)
            payouts = ((datetime.date(2026, 10, 31), reported),) if reported else ()
        for day, amount in payouts:
            funds.record_payout(
                case,
                controller,
                amount=Decimal(amount),
                year=2026,
                entry_date=day,
                reference=f"Rapport {day:%Y-%m}",
                project_number=f"11-{case.pk:04d}",
            )
        spent = fund_selectors.reported_costs(case, 2026, whole_year=True)
        if case.state == CaseState.FINAL_REPORT and money.carry_over.freezes_unspent and spent is not None:
            # What an accepted report shows unspent of the year's 500 000 kr is frozen.
            unspent = Decimal("500000.00") - spent
            if unspent > 0:
                funds.record_freeze(case, controller, amount=unspent, year=2026, entry_date=datetime.date(2026, 11, 27))
        if case.state == CaseState.FINAL_REPORT and repayment.policy_of(case).from_savings:
            _demo_repayment_plan(case, users)


DEMO_GRANTED_STATES = [
    CaseState.GRANTED,
    CaseState.STARTING,
    CaseState.RUNNING,
    CaseState.EXTENDED,
    CaseState.ABORT_PROPOSED,
    CaseState.FINAL_REPORT,
    CaseState.EVALUATED,
    CaseState.IMPLEMENTED,
    CaseState.PARTLY_IMPLEMENTED,
]


def _demo_repayment_plan(case, users):
    """Sundsvall's återföringsmodell on the consumed amount, by two nämnder, approved."""
    units = list(case.municipality.units.filter(kind=UnitKind.NAMND).order_by("name"))
    basis = repayment.basis_amount(case, repayment.policy_of(case))
    first = (basis * Decimal("0.6")).quantize(Decimal("1"))
    end = case.end_date.year
    plan = repayment.draft_plan(
        case,
        users["preparer"],
        outcome_measures="Färre placeringsdygn; fler elever med godkända betyg i årskurs 9.",
        installments=[
            repayment.PlannedInstallment(end + 2, units[-1], first, "Placeringsdygn per år"),
            repayment.PlannedInstallment(end + 3, units[0], basis - first, "Andel elever med godkända betyg"),
        ],
    )
    repayment.approve_plan(plan, users["decision_body"])


def _ask_demo_signatures(case, users):
    """Where the rule set asks the unit heads to sign before submission (Ale, Norrköping), the
    demo's draft has asked them, so a head has a signature waiting."""
    if any(r.unit_id and r.when == SignatureWhen.BEFORE_SUBMISSION for r in missing_signatures(case)):
        request_signatures(case, users["applicant"])


def _prepare_demo_case(case, users):
    """Give the demo case in preparation what preparation brings: two reviewers (one has
    submitted), a consultation and an internal comment, so the pages show them."""
    criteria = stage_criteria(case, ReviewStage.PREPARATION)
    if criteria:
        first = assign_reviewer(case, users["preparer"], users["management"])
        assign_reviewer(case, users["preparer"], users["controller"])
        answers = {c.key: ("ja" if c.kind == CriterionKind.YES_NO else str(max(c.scale_max - 1, 1))) for c in criteria}
        save_review(first, users["management"], answers=answers, comment="Väl underbyggd ansökan.", submit=True)
    namnd = case.municipality.units.filter(kind=UnitKind.NAMND).first()
    if namnd:
        request_consultation(
            case,
            users["preparer"],
            units=[namnd],
            question="Hur påverkar insatsen nämndens verksamhet?",
            deadline=timezone.localdate() + datetime.timedelta(days=21),
        )
    post_comment(
        case,
        users["preparer"],
        text="Vi behöver se kostnadsfördelningen per år innan beredningen är klar.",
        visibility="internal",
    )


def _report_demo_case(case, users, *, accept):
    """The running demo project hands in its first report that may be submitted today: the running
    one has it accepted, the extended one leaves it waiting, so the follow-up overview shows both.
    Where no report's period has ended yet, the first begun one is saved as a draft."""
    today = timezone.localdate()
    begun = list(
        case.reporting_obligations.filter(status=ObligationStatus.OPEN, period_start__lte=today).order_by("due_date")
    )
    due = [obligation for obligation in begun if submittable_from(obligation) <= today]
    obligation = (due or begun or [None])[0]
    if obligation is None:
        return
    texts = [
        "Insatsen har kommit igång enligt projektplanen.",
        "Fler deltagare än planerat har nåtts under perioden.",
        "Närvaron i målgruppen har ökat något; för tidigt att säga mer.",
        "Utfallet ligger i nivå med budgeten.",
        "Kostnaderna följer den beviljade fördelningen per år.",
    ]
    headings = report_headings(obligation)
    years = report_years(obligation)
    save_report(
        obligation,
        users["applicant"],
        texts=[texts[index % len(texts)] for index in range(len(headings))],
        outcomes={year: Decimal("125000.00") for year in years},
        economy_comment="Inga större avvikelser.",
        submit=bool(due),
    )
    if accept and due:
        receiver = users[obligation.receiver_role or case.rules.preparation_role]
        review_report(obligation, receiver, accept=True, comment="Tack, tydlig rapport.")


def _evaluate_demo_case(case, users):
    """A measurement plan with a comparison group and a förkalkyl for the running demo projects, so
    the evaluation pages and the dashboard's outcomes have figures to show."""
    preparer = users["preparer"]
    plan = save_measurement_plan(
        case,
        preparer,
        fields={
            "goals": "Färre placeringar utanför hemmet.",
            "activities": "Tidigt familjestöd i hemmet.",
            "comparison": "control_group",
            "comparison_description": "Familjer i två jämförbara stadsdelar utan insatsen.",
        },
        indicators=[
            (
                None,
                {
                    "name": "Placerade barn per 1 000",
                    "kind": "effect",
                    "unit": "antal",
                    "baseline_value": Decimal(12),
                    "baseline_date": case.period_start,
                    "target_value": Decimal(8),
                    "measurement_times": "varje halvår",
                },
                False,
            )
        ],
    )
    indicator = plan.indicators.get()
    for period, target, comparison in [
        (case.period_start, Decimal(12), Decimal(12)),
        (case.period_start + datetime.timedelta(days=180), Decimal(10), Decimal("11.5")),
    ]:
        enter_indicator_value(indicator, preparer, period=period, group="target", value=target)
        enter_indicator_value(indicator, preparer, period=period, group="comparison", value=comparison)
    placement = case.municipality.unit_costs.filter(unit="dygn").order_by("-amount").first()
    start = case.period_start.year
    save_calculation(
        case,
        "forecast",
        preparer,
        discount_rate=Decimal("3.5"),
        horizon=10,
        first_year=start,
        costs=[
            {"year": cost.year, "payer": "municipality", "description": "Beviljade medel", "granted": cost.amount}
            for cost in case.costs.all()
        ],
        outcomes=[
            {
                "name": "Färre dygn i HVB",
                "unit_cost": placement,
                "unit_amount": None,
                "baseline": Decimal(900),
                "quantity": Decimal(160),
                "start_year": start + 1,
                "duration": 6,
                "drop_off": Decimal(10),
                "deadweight": Decimal(15),
                "attribution": Decimal(10),
                "displacement": Decimal(0),
                "confidence": "medium",
                "effect_source": "estimate",
                "cashable": True,
                "transfer": False,
                "transfer_from": "",
                "split": {"municipality": "100"},
            }
        ],
    )
