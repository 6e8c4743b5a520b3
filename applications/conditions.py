"""Guards of the lifecycle's transitions. Each reads the case's pinned rule set and carries a
message saying, in the user's language, why the transition is not possible now."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipalities.rulebook.enums import EvaluationKind, Stage

from .checks import application_problems, idea_problems, section_field
from .enums import CaseState, StepStatus
from .rules import ACTS_FOR


def condition(message):
    """Mark a guard with the reason shown when it fails; ``message`` may be a callable of the case."""

    def decorate(function):
        function.explain = message if callable(message) else (lambda case: str(message))
        return function

    return decorate


@condition(gettext_lazy("Regelverket har ingen idéprövning."))
def uses_idea_stage(case):
    return case.rules.uses_idea_stage


@condition(gettext_lazy("Regelverket medger inte förlängning."))
def uses_extension(case):
    return case.rules.uses_stage(Stage.EXTENSION)


@condition(gettext_lazy("Regelverket har inget steg för avbrott."))
def uses_abort(case):
    return case.rules.uses_stage(Stage.ABORT)


@condition(gettext_lazy("Regelverket har inget förslag om avbrott: det beslutande organet beslutar direkt."))
def abort_is_proposed(case):
    return bool(case.rules.abort_proposer_role)


@condition(
    lambda case: (
        _("Först ett förslag om avbrott från %(body)s.")
        % {"body": case.rules.body_name(case.rules.abort_proposer_role)}
    )
)
def abort_proposed_first(case):
    """Where the rule set names who proposes an abort (Ystad: projektägarna), the decision follows
    the proposal; elsewhere (Sundsvall: ledningsgruppen) the body decides while the project runs."""
    return case.state == CaseState.ABORT_PROPOSED or not abort_is_proposed(case)


def _board_informed_message(case):
    rules = case.rules
    return _(
        "Berörd nämnd har inte informerats: %(body)s registrerar vilken nämnd som informerades, när och av vem "
        "innan %(preparer)s tar ärendet."
    ) % {
        "body": rules.body_name(rules.stages.application.board_informed.recorded_by),
        "preparer": rules.body_name(rules.preparation_role),
    }


@condition(_board_informed_message)
def board_informed(case):
    """Where the rule set asks it, the affected nämnd has been informed before preparation."""
    return not case.rules.stages.application.board_informed or case.board_notices.exists()


@condition(gettext_lazy("Regelverket medger inte delvis implementering."))
def partial_implementation_allowed(case):
    return case.rules.partial_implementation_allowed


# ---- Follow-up: a state means its content exists -------------------------------------------------
# Reports and evaluations are written in the reporting and evaluation apps, on top of this one;
# the guards read them through the case's relations, as the checks read the measurement plan.
SUBMITTED_REPORT_STATUSES = ("submitted", "accepted")
EVALUATION_NAMES = {
    EvaluationKind.HALF_TIME: gettext_lazy("Halvtidsutvärderingen"),
    EvaluationKind.FINAL: gettext_lazy("Slututvärderingen"),
}


@condition(
    gettext_lazy(
        "Regelverket har ingen slutrapport: uppföljningen avslutas med projektets sista rapport, och ärendet "
        "blir utvärderat när den och utvärderingen är inlämnade."
    )
)
def has_final_report(case):
    return case.rules.reporting.has_final_report


def closing_obligation(case):
    """The report that closes the project's follow-up: the last one of the rule set's closing kind."""
    kind = case.rules.reporting.closing_report_kind
    obligations = [o for o in case.reporting_obligations.all() if o.kind == kind]
    return max(obligations, key=lambda o: (o.period_end, o.pk), default=None)


def _closing_report_missing(case):
    obligation = closing_obligation(case)
    if case.rules.reporting.has_final_report:
        if obligation is not None and obligation.status == "returned":
            return _("Slutrapporten är skickad tillbaka för komplettering och inte inlämnad på nytt.")
        return _("Slutrapporten är inte inlämnad. Den lämnas in på rapportens sida under Uppföljning.")
    if obligation is None:
        return _("Projektet har ingen rapport för sin sista period.")
    return _("Den sista rapporten, %(name)s för perioden %(start)s–%(end)s, är inte inlämnad.") % {
        "name": obligation.display_name,
        "start": obligation.period_start.isoformat(),
        "end": obligation.period_end.isoformat(),
    }


@condition(_closing_report_missing)
def closing_report_in(case):
    """The report that closes the follow-up is in: the final report (the case is then "slutrapport
    inlämnad"), or where the rule set has none, the last periodic report (Heby's annual report)."""
    if case.rules.reporting.has_final_report and case.state != "final_report":
        return False
    obligation = closing_obligation(case)
    return obligation is not None and obligation.status in SUBMITTED_REPORT_STATUSES


def _missing_evaluations(case):
    evaluations = {evaluation.kind: evaluation for evaluation in case.evaluations.all()}
    return [
        (kind, kind in evaluations)
        for kind in case.rules.evaluation.required_evaluations
        if kind not in evaluations or evaluations[kind].submitted_at is None
    ]


def _evaluations_missing(case):
    reasons = []
    for kind, written in _missing_evaluations(case):
        name = EVALUATION_NAMES.get(kind, kind)
        if written:
            reasons.append(_("%(name)s är skriven men inte inlämnad") % {"name": name})
        else:
            reasons.append(_("%(name)s är inte skriven") % {"name": name})
    return _("%(missing)s. Den skrivs och lämnas in under Utvärdering.") % {"missing": "; ".join(reasons)}


def missing_evaluation_names(case):
    """The evaluations the rule set requires that are not yet handed in, as a phrase
    ("slututvärderingen"), or "" when all are in."""
    names = [str(EVALUATION_NAMES.get(kind, kind)).lower() for kind, _written in _missing_evaluations(case)]
    if len(names) > 1:
        return _("%(first)s och %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
    return "".join(names)


@condition(_evaluations_missing)
def evaluations_submitted(case):
    """Every evaluation the rule set requires is written and submitted."""
    return not _missing_evaluations(case)


def _problem_in_list(case, problem):
    """One problem as an item of a list: without its full stop, and naming the section it
    concerns (beside the form field the section's title shows; in a list it must be said)."""
    text = str(problem.message).rstrip(".")
    titles = {section_field(section.key): section.title for section in case.rules.application.sections}
    if problem.field in titles:
        return f"{titles[problem.field]} – {text[:1].lower()}{text[1:]}"
    return text


def _problems_message(problems_of):
    def explain(case):
        problems = problems_of(case)
        fields = "; ".join(_problem_in_list(case, p) for p in problems[:3])
        if len(problems) > 3:
            fields += _(" (och %(more)s till)") % {"more": len(problems) - 3}
        return _("Det saknas eller är fel i %(count)s fält: %(fields)s.") % {"count": len(problems), "fields": fields}

    return explain


@condition(_problems_message(idea_problems))
def idea_is_complete(case):
    return not idea_problems(case)


@condition(_problems_message(application_problems))
def application_is_valid(case):
    return not application_problems(case)


def _pending_steps(case, stage):
    """The required steps not yet done; an optional step ("vid behov") never holds the stage back."""
    return [step for step in case.current_steps(stage) if step.status == StepStatus.PENDING and not step.optional]


def _declined_gates(case, stage):
    return [step for step in case.current_steps(stage) if step.gate and step.status == StepStatus.DECLINED]


def _steps_done(stage):
    @condition(
        lambda case: (
            _("Steg som återstår: %(steps)s.")
            % {"steps": "; ".join(f"{s} ({case.rules.body_name(s.actor_role)})" for s in _pending_steps(case, stage))}
        )
    )
    def steps_done(case):
        return not _pending_steps(case, stage)

    steps_done.__name__ = f"{stage}_steps_done"
    return steps_done


def _gates_passed(stage):
    @condition(
        lambda case: (
            _("Ett steg som måste sluta positivt blev nej: %(steps)s.")
            % {"steps": "; ".join(str(s) for s in _declined_gates(case, stage))}
        )
    )
    def gates_passed(case):
        return not _declined_gates(case, stage)

    gates_passed.__name__ = f"{stage}_gates_passed"
    return gates_passed


idea_steps_done = _steps_done("idea")
idea_gates_passed = _gates_passed("idea")
preparation_steps_done = _steps_done("preparation")
preparation_gates_passed = _gates_passed("preparation")
start_steps_done = _steps_done("start")
abort_steps_done = _steps_done("abort")
implementation_steps_done = _steps_done("implementation")


def may(action):
    """Permission for a transition (django-fsm's ``permission=``): the rules predicate of who
    performs the action (``rules.ACTS_FOR``), asked about the case."""
    acts_for = ACTS_FOR[action]

    def permission(case, user):
        return acts_for.test(user, case)

    permission.action = action
    return permission
