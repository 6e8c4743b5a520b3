"""The one reader of a rule-set document.

``rulebook_of(version)`` turns a ``RuleSetVersion`` into a ``RuleBook``: frozen dataclasses per
section (``sections.py``), every vocabulary an enum (``enums.py``), and the lifecycle's questions
(``book.py``). Code asks ``case.rules.reporting.obligations``, never ``document["reporting"]``.
Whole-document handling (schema validation, the editor's export, copy and diff) stays with the data:
``validation.py`` here and ``municipalities.services``.
"""

from .book import PAYOUT_PLAN_APPROVED_STEP, PAYOUT_PLAN_STEP, RuleBook

__all__ = ["PAYOUT_PLAN_APPROVED_STEP", "PAYOUT_PLAN_STEP", "RuleBook", "rulebook_in_force", "rulebook_of"]

# Books by (version pk, document fingerprint). A book is immutable, so the cases of one version share
# it, and a list of many cases decodes each version's document once per process. The fingerprint is
# part of the key: a draft edited and saved gets a new book.
_BOOKS = {}
_MAX_BOOKS = 256


def rulebook_of(version):
    """The rule book of a ``RuleSetVersion``."""
    if version.pk is None or not version.fingerprint:
        return RuleBook.of(version.document)
    key = (version.pk, version.fingerprint)
    book = _BOOKS.get(key)
    if book is None:
        if len(_BOOKS) >= _MAX_BOOKS:
            _BOOKS.clear()
        book = _BOOKS[key] = RuleBook.of(version.document)
    return book


def rulebook_in_force(user):
    """The rule book in force in the user's municipality, or None. Kept on the user object, which
    lives for one request, so the permission checks of one page look the version up once."""
    if not hasattr(user, "_rulebook_in_force"):
        ruleset = user.municipality.active_ruleset if user.municipality_id else None
        user._rulebook_in_force = rulebook_of(ruleset) if ruleset else None
    return user._rulebook_in_force
