"""Everything the rule set requires of an idea or an application before it may be submitted.

Each problem names the form field it belongs to, so the form shows it next to that field.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from core.formatting import format_kronor
from municipalities.rulebook.enums import CollaborationRequirement, SignatureWhen

from .deadlines import whole_months
from .signatures import missing_signatures


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def section_field(key):
    return f"section_{key}"


def declaration_field(key):
    return f"declaration_{key}"


def idea_field(index):
    return f"idea_{index}"


def goal_field(list_key, goal_key):
    return f"goal-{list_key}-{goal_key}"


def goal_comment_field(list_key, goal_key):
    return f"goal-{list_key}-{goal_key}-comment"


def goal_list_required(list_key):
    """The name ``required_to_submit`` gives a goal list where one goal must be chosen."""
    return f"goals-{list_key}"


def chosen_goals(case, goal_list):
    """(goal, comment) for each goal of the list the application relates to, in the list's order."""
    chosen = case.goals.get(goal_list.key, {})
    return [(goal, str(chosen[goal.key])) for goal in goal_list.goals if goal.key in chosen]


def goal_problems(case):
    """A list the rule set requires needs at least one chosen goal; each chosen goal a comment.
    A list the admin has not yet filled with goals asks nothing."""
    problems = []
    for goal_list in case.rules.application.goal_lists:
        if not goal_list.goals:
            continue
        chosen = chosen_goals(case, goal_list)
        if goal_list.required and not chosen:
            problems.append(
                Problem(
                    goal_field(goal_list.key, goal_list.goals[0].key),
                    _("Välj minst ett mål i %(list)s och kommentera hur insatsen bidrar till det.")
                    % {"list": goal_list.title},
                )
            )
        problems += [
            Problem(
                goal_comment_field(goal_list.key, goal.key),
                _("Kommentera hur insatsen bidrar till %(goal)s.") % {"goal": goal.name},
            )
            for goal, comment in chosen
            if not comment.strip()
        ]
    return problems


def idea_problems(case):
    problems = []
    if not case.title.strip():
        problems.append(Problem("title", _("Ange insatsens namn.")))
    for index, label in enumerate(case.rules.stages.idea.contents):
        if not str(case.idea.get(str(index), "")).strip():
            problems.append(Problem(idea_field(index), _("Beskriv: %(what)s.") % {"what": label}))
    return problems


def _has_structured_plan(case):
    """A structured mätplan with at least one indicator (made on the evaluation pages) also
    satisfies a rule set that requires a measurement plan. Read through the reverse relation so
    this module does not import the evaluation app."""
    plan = getattr(case, "structured_plan", None)
    return plan is not None and plan.indicators.exists()


def application_problems(case, today=None):
    """All rule-set problems with an application, in form order. Empty means it may be submitted."""
    today = today or timezone.localdate()
    rules = case.rules
    problems = []
    if not case.title.strip():
        problems.append(Problem("title", _("Ange insatsens namn.")))
    problems += _applicant_problems(case)
    problems += _collaboration_problems(case)
    problems += _period_problems(case)
    problems += _target_group_problems(case)
    for section in rules.application.sections:
        if section.required and not str(case.sections.get(section.key, "")).strip():
            problems.append(Problem(section_field(section.key), _("Avsnittet måste fyllas i.")))
    if (
        rules.application.measurement_plan_required
        and not case.measurement_plan.strip()
        and not _has_structured_plan(case)
    ):
        problems.append(
            Problem("measurement_plan", _("Regelverket kräver en mätplan för att ansökan ska vara komplett."))
        )
    for declaration in rules.application.declarations:
        if declaration.required and case.declarations.get(declaration.key) is not True:
            problems.append(Problem(declaration_field(declaration.key), _("Regelverket kräver att detta intygas.")))
    problems += goal_problems(case)
    problems += _calendar_problems(case, today)
    missing = missing_signatures(case, when=SignatureWhen.BEFORE_SUBMISSION)
    if missing:
        problems.append(
            Problem(
                "signatures",
                _("Underskrift saknas från: %(names)s.") % {"names": ", ".join(r.signed_for for r in missing)},
            )
        )
    return problems


def required_to_submit(case):
    """The names of the application form's fields the rule set requires before submission, said
    beside ``application_problems`` so the form marks exactly what the check asks for. ``costs``
    stands for the cost per year (at least one); a goal list's key for a list where one goal must
    be chosen. The collaboration rule is not a field: its alternatives may be met by units or by
    external actors, so neither list is required by itself (its help text says what counts)."""
    rules = case.rules
    names = {"title", "applicant_unit", "period_start", "period_end", "costs"}
    if rules.target_group.min_age is not None or rules.target_group.max_age is not None:
        names |= {"target_min_age", "target_max_age"}
    names |= {section_field(section.key) for section in rules.application.sections if section.required}
    if rules.application.measurement_plan_required and not _has_structured_plan(case):
        names.add("measurement_plan")
    names |= {
        declaration_field(declaration.key) for declaration in rules.application.declarations if declaration.required
    }
    names |= {
        goal_list_required(goal_list.key)
        for goal_list in rules.application.goal_lists
        if goal_list.required and goal_list.goals
    }
    if rules.calendar.decision_rounds:
        names.add("decision_round")
    return names


def _applicant_problems(case):
    allowed = case.rules.eligibility.applicant_unit_kinds
    unit = case.applicant_unit
    if unit is None:
        return [Problem("applicant_unit", _("Ange vilken enhet som söker."))]
    if unit.kind not in allowed:
        from municipalities.rulebook.presentation import label

        return [
            Problem(
                "applicant_unit",
                _("%(unit)s kan inte söka: bara %(kinds)s får söka.")
                % {"unit": unit.name, "kinds": ", ".join(str(label("unit_kind", k)) for k in allowed)},
            )
        ]
    return []


def _units_counted(units, kinds):
    """Distinct units that count as a party of the given kinds: the unit itself, or the nearest
    unit above it of such a kind (a förvaltning counts for its nämnd)."""
    counted = set()
    for unit in units:
        node = unit
        while node is not None and kinds and node.kind not in kinds:
            node = node.parent
        if node is not None:
            counted.add(node.pk)
    return counted


def collaboration_satisfied(case):
    """Which collaboration alternative the case meets, or None."""
    eligibility = case.rules.eligibility
    excluded = set(eligibility.excluded_actor_kinds)
    units = [case.applicant_unit, *case.units.all()] if case.applicant_unit else list(case.units.all())
    actors = [actor for actor in case.external_actors.all() if actor.kind not in excluded]
    for alternative in eligibility.collaboration.alternatives:
        unit_count = len(_units_counted(units, alternative.unit_kinds))
        kinds = alternative.external_kinds or eligibility.external_actor_kinds
        actor_count = len([actor for actor in actors if actor.kind in kinds])
        if unit_count >= alternative.min_units and actor_count >= alternative.min_external:
            return alternative
    return None


def _collaboration_problems(case):
    collaboration = case.rules.eligibility.collaboration
    if collaboration.requirement != CollaborationRequirement.REQUIRED or collaboration_satisfied(case):
        return []
    # Each alternative is a sentence of its own in the rule set; here they are parts of one.
    parts = [a.description.strip().rstrip(".") for a in collaboration.alternatives]
    alternatives = _(" eller ").join(part[:1].lower() + part[1:] for part in parts)
    return [
        Problem(
            "units",
            _("Samverkanskravet är inte uppfyllt. Krävs: %(alternatives)s (vinstdrivande företag räknas inte).")
            % {"alternatives": alternatives},
        )
    ]


def _period_problems(case):
    problems = []
    if not case.period_start:
        problems.append(Problem("period_start", _("Ange när insatsen startar.")))
    if not case.period_end:
        problems.append(Problem("period_end", _("Ange när insatsen slutar.")))
    if not (case.period_start and case.period_end):
        return problems
    if case.period_end <= case.period_start:
        return [Problem("period_end", _("Slutdatum måste vara efter startdatum."))]
    limits = case.rules.application.duration_months
    months = whole_months(case.period_start, case.period_end)
    low, high = (limits.min, limits.max) if limits else (None, None)
    if (low and months < low) or (high and months > high):
        problems.append(
            Problem(
                "period_end",
                _("Projekttiden är %(months)s månader; regelverket tillåter %(low)s–%(high)s månader.")
                % {"months": months, "low": low or 1, "high": high or "∞"},
            )
        )
    costs = list(case.costs.all())
    if not costs:
        problems.append(Problem("costs", _("Ange kostnaden för varje år.")))
    outside = [cost.year for cost in costs if not case.period_start.year <= cost.year <= case.period_end.year]
    if outside:
        problems.append(
            Problem(
                "costs",
                _("Kostnader för år utanför projekttiden: %(years)s.") % {"years": ", ".join(map(str, outside))},
            )
        )
    return problems


def _target_group_problems(case):
    group = case.rules.target_group
    low, high = group.min_age, group.max_age
    if low is None and high is None:
        return []
    if case.target_min_age is None or case.target_max_age is None:
        return [Problem("target_max_age", _("Ange målgruppens ålder (från och till)."))]
    if case.target_min_age > case.target_max_age:
        return [Problem("target_max_age", _("Högsta ålder måste vara minst lika hög som lägsta."))]
    if (low is not None and case.target_min_age < low) or (high is not None and case.target_max_age > high):
        return [
            Problem(
                "target_max_age",
                _("Målgruppen ska vara %(low)s–%(high)s år enligt regelverket.") % {"low": low, "high": high},
            )
        ]
    return []


def window_for(windows, today):
    """The application window ``today`` falls in, or None. Windows are MM-DD pairs each year."""
    key = today.strftime("%m-%d")
    for window in windows:
        opens, closes = window.opens, window.closes
        inside = opens <= key <= closes if opens <= closes else (key >= opens or key <= closes)
        if inside:
            return window
    return None


# The fund stands above the case (funds imports applications), so it hands in how much money is
# left to commit in a year (funds/apps.py): ``reader(municipality, year)``, None without a fund.
_money_left = []


def register_money_left(reader):
    _money_left[:] = [reader]


def money_left(municipality, year):
    return _money_left[0](municipality, year) if _money_left else None


def _calendar_problems(case, today):
    rules = case.rules
    problems = []
    windows = rules.calendar.application_windows
    if windows and window_for(windows, today) is None:
        periods = ", ".join(f"{w.name} ({w.opens}–{w.closes})" for w in windows)
        problems.append(
            Problem(
                "__all__",
                _("Ansökan kan bara lämnas in under ansökningsperioderna: %(periods)s.") % {"periods": periods},
            )
        )
    if rules.calendar.decision_rounds:
        round_ = case.decision_round
        if round_ is None:
            problems.append(Problem("decision_round", _("Välj vilket beslutstillfälle ansökan gäller.")))
        elif not round_.is_open or round_.meeting_date < today:
            problems.append(Problem("decision_round", _("Beslutstillfället tar inte emot ansökningar.")))
        elif round_.requires_remaining_funds:
            asked = sum((cost.amount for cost in case.costs.all()), 0)
            year = round_.meeting_date.year
            remaining = money_left(case.municipality, year) or 0
            if remaining <= 0 or asked > remaining:
                problems.append(
                    Problem(
                        "decision_round",
                        _(
                            "%(round)s hålls bara om medel återstår: enligt fondens huvudbok återstår %(remaining)s "
                            "för %(year)s, ansökan gäller %(asked)s."
                        )
                        % {
                            "round": round_.name,
                            "remaining": format_kronor(remaining),
                            "year": year,
                            "asked": format_kronor(asked),
                        },
                    )
                )
    return problems
