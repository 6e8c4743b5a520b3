"""Role predicates (who someone is). State predicates live with the models they ask about."""

import rules

from .enums import Role


def _role_predicate(role):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user):
        return user.is_authenticated and user.has_role(role)

    return predicate


is_applicant = _role_predicate(Role.APPLICANT)
is_preparer = _role_predicate(Role.PREPARER)
is_management = _role_predicate(Role.MANAGEMENT)
is_board = _role_predicate(Role.BOARD)
is_decision_body = _role_predicate(Role.DECISION_BODY)
is_controller = _role_predicate(Role.CONTROLLER)
is_municipal_admin = _role_predicate(Role.MUNICIPAL_ADMIN)


@rules.predicate
def is_system_admin(user):
    return user.is_authenticated and user.is_superuser


@rules.predicate
def is_staff_member(user):
    """Municipal staff of the fund (any role besides applicant) or a system admin: they see
    internal comments, reviews, consultations and every case of their municipality."""
    return user.is_authenticated and (user.is_superuser or bool(user.role_set() - {Role.APPLICANT}))


@rules.predicate
def has_municipality(user):
    return user.is_authenticated and user.municipality_id is not None


@rules.predicate
def opens_django_admin(user):
    return user.is_authenticated and user.is_staff


@rules.predicate
def is_member_of(user, obj):
    """The object belongs to the user's municipality (obj is a municipality or has one)."""
    if not user.is_authenticated or obj is None:
        return False
    municipality_id = getattr(obj, "municipality_id", obj.pk)  # a Municipality is its own tenant
    return user.municipality_id == municipality_id


can_administer = is_system_admin | (is_municipal_admin & is_member_of)

rules.add_perm("municipalities.view_ruleset", is_system_admin | is_member_of)
rules.add_perm("municipalities.administer", can_administer)
# Sees every municipality and picks the one a page shows (the system admin, who belongs to none).
rules.add_perm("municipalities.view_all", is_system_admin)
rules.add_perm("accounts.open_django_admin", opens_django_admin)
