"""Who may read the follow-up overview of every project and set the municipality's reporting
dates."""

import rules

from accounts.rules import is_member_of, is_municipal_admin, is_staff_member

rules.add_perm("reporting.view_overview", is_staff_member)
# Asked about the municipality whose fixed reporting dates they are (Ystad's bokslut dates).
sets_reporting_dates = is_municipal_admin & is_member_of
rules.add_perm("reporting.set_dates", sets_reporting_dates)
