"""Who may do what with the fund (django-rules predicates, composed from the role predicates)."""

import rules

from accounts.rules import is_controller, is_member_of, is_municipal_admin, is_staff_member, is_system_admin

# Controllers and municipal admins record money; every other staff member reads; applicants see
# only their own case's money and plan (on the case page).
may_record_money = is_system_admin | ((is_controller | is_municipal_admin) & is_member_of)
may_view_fund = is_system_admin | (is_staff_member & is_member_of)

rules.add_perm("funds.record_money", may_record_money)
rules.add_perm("funds.view_fund", may_view_fund)
