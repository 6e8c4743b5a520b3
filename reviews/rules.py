"""Who may review and who may read or set the prioritisation (django-rules predicates over the
rule set in force)."""

import rules

from accounts.enums import Role
from accounts.rules import is_member_of, is_staff_member
from municipalities.rulebook import rulebook_in_force

# Staff of the object's municipality (a case's): reviewers come from it, and only they see a
# case's reviews. A system admin belongs to no municipality and is not one.
is_staff_of = rules.is_active & is_staff_member & is_member_of


@rules.predicate
def may_prioritise(user):
    """Holds the role the rule set gives the priority order (Ystad: kommunledningsgruppen;
    elsewhere the preparing group)."""
    book = rulebook_in_force(user) if user.is_authenticated else None
    return book is not None and user.has_role(book.prioritisation_role)


@rules.predicate
def reads_priorities(user):
    """The controller, who keeps the fund, management, the preparing group and the decision body
    read the proposal that goes to them."""
    book = rulebook_in_force(user) if user.is_authenticated else None
    readers = (book.preparation_role, Role.CONTROLLER, book.decision_role, Role.MANAGEMENT) if book else ()
    return any(user.has_role(role) for role in readers)


rules.add_perm("reviews.view_priorities", is_staff_member & (may_prioritise | reads_priorities))
rules.add_perm("reviews.prioritise", may_prioritise)
