"""Who may read the follow-up overview of every project."""

import rules

from accounts.rules import is_staff_member

rules.add_perm("reporting.view_overview", is_staff_member)
