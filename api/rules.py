"""Who may manage the municipality's API tokens: its own admin."""

import rules

from accounts.rules import is_member_of, is_municipal_admin

rules.add_perm("api.manage_tokens", is_municipal_admin & is_member_of)
