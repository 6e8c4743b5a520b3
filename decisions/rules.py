"""Who may prepare a meeting's documents (django-rules predicates over the rule set in force)."""

import rules

from accounts.rules import is_staff_member
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
