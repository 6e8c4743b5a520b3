"""How a walk (the demo data, the lifecycle tests) takes the transitions whose state means written
content: the project hands in its final report, and its evaluation, through the same services as
the pages. The routes of ``demo.walk.CONTENT_ROUTES``."""

import datetime
from decimal import Decimal

import time_machine
from django.utils import timezone

from applications.conditions import closing_obligation, closing_report_in
from applications.models import Case
from applications.services.lifecycle import run_transition
from evaluation.services import save_evaluation, submit_evaluation
from projects.organisation import project_manager
from reporting.models import WRITABLE_STATUSES
from reporting.selectors import budget_by_year, report_headings, report_years, submittable_from
from reporting.services import save_report


def _travel_to(clock, day):
    """Move the clock to noon of ``day`` if it is still before it, until the walk returns."""
    if timezone.localdate() < day:
        noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())
        clock.enter_context(time_machine.travel(noon, tick=True))


def hand_in_closing_report(case, clock):
    """The project manager writes the report that closes the follow-up and submits it on the first
    day it may be submitted (the final report makes the case "slutrapport inlämnad")."""
    obligation = closing_obligation(case)
    if obligation is None or obligation.status not in WRITABLE_STATUSES:
        return Case.objects.get(pk=case.pk)
    _travel_to(clock, submittable_from(obligation))
    budget = budget_by_year(obligation.case)
    save_report(
        obligation,
        project_manager(case),
        texts=[f"{heading}: så har det gått i {case.title}." for heading in report_headings(obligation)],
        outcomes={year: budget.get(year, Decimal("0.00")) for year in report_years(obligation)},
        economy_comment="Utfallet följer budgeten.",
        submit=True,
    )
    return Case.objects.get(pk=case.pk)


def hand_in_final_report(case, users, clock):
    return hand_in_closing_report(case, clock)


def evaluate(case, users, clock):
    """The project writes and hands in the evaluations the rule set requires (after the last
    report, where the rule set has no final report), then the preparing group marks the case
    evaluated."""
    if not closing_report_in(case):
        case = hand_in_closing_report(case, clock)
    writer = users[case.rules.applicant_role]
    for kind in case.rules.evaluation.required_evaluations:
        save_evaluation(
            case,
            kind,
            writer,
            fields={
                "effects": "Målgruppens närvaro och betyg har förbättrats mot jämförelsegruppen.",
                "process": "Insatsen genomfördes enligt projektplanen.",
                "costs": "Kostnaderna höll sig inom den beviljade budgeten.",
                "conclusion": "Insatsen bör bli en del av ordinarie verksamhet.",
                "recommendation": "implement",
            },
        )
        submit_evaluation(case, kind, writer)
    case = Case.objects.get(pk=case.pk)
    return run_transition(case, "evaluate", users[case.rules.preparation_role])
