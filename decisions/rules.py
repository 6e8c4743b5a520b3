"""Who may prepare a meeting's documents, decide several cases as one and issue a case's decision
basis (django-rules predicates over the rule set in force, or the case's)."""

import rules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.rules import is_staff_member
from applications.rules import ACTS_FOR
from core.permissions import Requirements
from municipalities.rulebook import rulebook_in_force


@rules.predicate
def may_prepare_meeting(user):
    """The decision body, the preparing group and whoever issues the decision basis, of the
    user's municipality."""
    if not (is_staff_member(user) and user.municipality):
        return False
    book = rulebook_in_force(user)
    if book is None:
        return False
    return any(user.has_role(role) for role in (book.decision_role, book.preparation_role, book.decision_basis_role))


rules.add_perm("decisions.prepare_meeting", may_prepare_meeting)


@rules.predicate
def allows_group_decision(user):
    """The rule set in force lets several cases be decided as one whole (Sundsvall)."""
    book = rulebook_in_force(user) if user.is_authenticated else None
    return book is not None and book.may_decide_group


@rules.predicate
def is_decision_body(user):
    """Holds the role the rule set in force gives the decision."""
    book = rulebook_in_force(user) if user.is_authenticated else None
    return book is not None and user.has_role(book.decision_role)


def _decision_body_name(municipality):
    book = municipality.active_ruleset.rules
    return book.body_name(book.decision_role)


GROUP_REFUSAL = gettext_lazy("Regelverket medger inte att flera ärenden beslutas som en helhet.")

# Asked about the user's own municipality (the meeting page's).
DECIDE_GROUP = Requirements(
    (allows_group_decision, GROUP_REFUSAL),
    (
        is_decision_body,
        lambda municipality: _("Bara %(body)s kan fatta beslutet.") % {"body": _decision_body_name(municipality)},
    ),
)

# Asked about the case: its rule set names who issues the basis (Heby: kommunledningsgruppen).
ISSUE_BASIS = Requirements(
    (
        ACTS_FOR["decision_basis"],
        lambda case: (
            _("Bara %(body)s upprättar beslutsunderlaget.")
            % {"body": case.rules.body_name(case.rules.decision_basis_role)}
        ),
    ),
)

rules.add_perm("decisions.decide_group", DECIDE_GROUP.predicate)
rules.add_perm("decisions.issue_basis", ISSUE_BASIS.predicate)

# Asked about the case: its preparing group (the registrar's side) or its decision body sends a
# decision letter whose e-mail failed again at once.
RESEND_LETTER = Requirements(
    (
        ACTS_FOR["preparation"] | ACTS_FOR["decision"],
        lambda case: (
            _("Bara %(body)s kan skicka beslutsbrevet igen.")
            % {"body": case.rules.body_name(case.rules.preparation_role)}
        ),
    ),
)
rules.add_perm("decisions.resend_letter", RESEND_LETTER.predicate)
