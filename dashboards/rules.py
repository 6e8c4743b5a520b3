"""Who may read the fund's dashboard."""

import rules

from accounts.rules import is_staff_member

rules.add_perm("dashboards.view_dashboard", is_staff_member)
