"""Who may export: the municipality's controllers, preparers, management, decision body and
municipal admin, their own municipality's data only. Applicants may not."""

import rules

from accounts.rules import (
    has_municipality,
    is_controller,
    is_decision_body,
    is_management,
    is_municipal_admin,
    is_preparer,
)

may_export = has_municipality & (is_controller | is_preparer | is_management | is_decision_body | is_municipal_admin)

rules.add_perm("exports.export", may_export)
