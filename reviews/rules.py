"""Who may read the prioritisation (django-rules predicates over the rule set in force)."""

import rules

from . import services


@rules.predicate
def may_view_priorities(user):
    if not (user.is_authenticated and user.is_staff_member):
        return False
    return services.may_view_priorities(user, services.municipality_rules(user))


rules.add_perm("reviews.view_priorities", may_view_priorities)
