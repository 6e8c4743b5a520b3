"""Who may approve a case's repayment plan (django-rules predicates over the case's rule set)."""

import rules

from accounts.rules import is_member_of, is_system_admin


@rules.predicate
def holds_approving_role(user, case):
    """Holds the role the case's rule set names to approve its plan (Sundsvall: ledningsgruppen;
    Ale: the steering group)."""
    return user.has_role(case.rules.money.repayment.approver)


# Asked about the case; a system admin may, as the service lets them.
rules.add_perm("repayment.approve_plan", is_system_admin | (is_member_of & holds_approving_role))
