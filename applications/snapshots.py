"""The application as a reader sees it, taken at each submission, and a readable diff between two."""

import difflib

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.formatting import format_kronor

from .checks import chosen_goals


def readable_content(case):
    """Ordered (label, text) pairs of everything the applicants wrote, as plain text."""
    rules = case.rules
    pairs = [
        (_("Namn på insatsen"), case.title),
        (_("Sökande enhet"), case.applicant_unit.name if case.applicant_unit else ""),
        (_("Medverkande enheter"), ", ".join(sorted(unit.name for unit in case.units.all()))),
        (_("Externa aktörer"), ", ".join(sorted(actor.name for actor in case.external_actors.all()))),
        (_("Period"), f"{case.period_start or ''} – {case.period_end or ''}"),
        (_("Kostnad per år"), "; ".join(f"{c.year}: {format_kronor(c.amount)}" for c in _costs_by_year(case))),
    ]
    if case.target_min_age is not None or case.target_max_age is not None:
        pairs.append((_("Målgruppens ålder"), f"{case.target_min_age}–{case.target_max_age}"))
    pairs += [(section.title, case.sections.get(section.key, "")) for section in rules.application.sections]
    if rules.application.measurement_plan_required:
        pairs.append((_("Mätplan"), case.measurement_plan))
    pairs += [
        (goal_list.title, "\n".join(f"{goal.name}: {comment}" for goal, comment in chosen_goals(case, goal_list)))
        for goal_list in rules.application.goal_lists
        if goal_list.goals
    ]
    pairs += [
        (declaration.text, _("ja") if case.declarations.get(declaration.key) else _("nej"))
        for declaration in rules.application.declarations
    ]
    return [[str(label), str(text)] for label, text in pairs]


def _costs_by_year(case):
    return sorted(case.costs.all(), key=lambda cost: cost.year)


def word_diff(old, new):
    """HTML of ``new`` against ``old``, word by word: removed words in <del>, added in <ins>.
    Every piece of text is escaped."""
    old_words, new_words = old.split(), new.split()
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - every fragment is escaped above


def changes_between(old_content, new_content):
    """(label, diff html) for each part that differs between two snapshots."""
    old = dict(map(tuple, old_content))
    changes = []
    for label, text in new_content:
        before = old.pop(label, "")
        if before != text:
            changes.append((label, word_diff(before, text)))
    changes += [(label, word_diff(text, "")) for label, text in old.items() if text]
    return changes
