"""Demo data: the five municipalities' organisation, external actors and one account per role.

Idempotent: running it again creates nothing twice. Demo accounts share the password 'demo' and
are listed on the login page only in demo mode.
"""

from django.db import transaction

from accounts.enums import Role
from accounts.models import RoleAssignment, User
from municipalities.enums import ActorKind, UnitKind
from municipalities.models import ExternalActor, Municipality, OrganisationalUnit

DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts are public by design
DEMO_DOMAIN = "demo.fonden.se"

# Local part of each demo account's address, per role.
ROLE_LOGINS = {
    Role.APPLICANT: "sokande",
    Role.PREPARER: "beredare",
    Role.MANAGEMENT: "ledning",
    Role.BOARD: "namnd",
    Role.DECISION_BODY: "beslut",
    Role.CONTROLLER: "controller",
    Role.MUNICIPAL_ADMIN: "admin",
}
ROLE_PERSON_NAMES = {
    Role.APPLICANT: "Sara Sökande",
    Role.PREPARER: "Bengt Beredare",
    Role.MANAGEMENT: "Lena Ledning",
    Role.BOARD: "Nils Nämnd",
    Role.DECISION_BODY: "Britt Beslut",
    Role.CONTROLLER: "Conny Controller",
    Role.MUNICIPAL_ADMIN: "Anna Admin",
}

N, F, S, K, B = UnitKind.NAMND, UnitKind.FORVALTNING, UnitKind.SEKTOR, UnitKind.KONTOR, UnitKind.BOLAG

# (name, kind, parent name or None), parents listed before their children.
UNITS = {
    "heby": [
        ("Kommunstyrelsen", UnitKind.STYRELSE, None),
        ("Socialnämnden", N, None),
        ("Barn- och utbildningsnämnden", N, None),
        ("Socialförvaltningen", F, "Socialnämnden"),
        ("Barn- och utbildningsförvaltningen", F, "Barn- och utbildningsnämnden"),
        ("Kommunledningsförvaltningen", F, "Kommunstyrelsen"),
    ],
    "ale": [
        ("Kommunstyrelsen", UnitKind.STYRELSE, None),
        ("Sektor utbildning, kultur och fritid", S, None),
        ("Sektor arbete, trygghet och omsorg", S, None),
        ("Sektor samhällsbyggnad", S, None),
        ("Sektor kommunstyrelsen", S, "Kommunstyrelsen"),
    ],
    "sundsvall": [
        ("Kommunstyrelsen", UnitKind.STYRELSE, None),
        ("Barn- och utbildningsnämnden", N, None),
        ("Socialnämnden", N, None),
        ("Kultur- och fritidsnämnden", N, None),
        ("Barn- och utbildningsförvaltningen", F, "Barn- och utbildningsnämnden"),
        ("Individ- och arbetslivsförvaltningen", F, "Socialnämnden"),
        ("Kultur- och fritidsförvaltningen", F, "Kultur- och fritidsnämnden"),
    ],
    "ystad": [
        ("Kommunstyrelsen", UnitKind.STYRELSE, None),
        ("Barn- och utbildningsnämnden", N, None),
        ("Socialnämnden", N, None),
        ("Kultur- och utbildningsnämnden", N, None),
        ("Barn- och utbildningsförvaltningen", F, "Barn- och utbildningsnämnden"),
        ("Socialförvaltningen", F, "Socialnämnden"),
        ("Kultur- och utbildningsförvaltningen", F, "Kultur- och utbildningsnämnden"),
        ("Ystad Bostäder AB", B, "Kommunstyrelsen"),
    ],
    "norrkoping": [
        ("Kommunstyrelsen", UnitKind.STYRELSE, None),
        ("Utbildningsnämnden", N, None),
        ("Socialnämnden", N, None),
        ("Utbildningskontoret", K, "Utbildningsnämnden"),
        ("Socialkontoret", K, "Socialnämnden"),
        ("Kultur- och fritidskontoret", K, None),
        ("Kommunstyrelsens kontor", K, "Kommunstyrelsen"),
    ],
}

ACTORS = [
    ("Föreningen Fritid för alla", ActorKind.CIVIL_SOCIETY),
    ("Stiftelsen Barnens framtid", ActorKind.CIVIL_SOCIETY),
    ("Regionens barn- och ungdomspsykiatri", ActorKind.OTHER_PUBLIC),
    ("Arbetsförmedlingen", ActorKind.OTHER_PUBLIC),
    ("Konsultbolaget Insats AB", ActorKind.FOR_PROFIT),
]


def _applicant_unit(slug):
    """The unit a demo applicant works at: the first unit of a kind that may apply."""
    for name, kind, _parent in UNITS[slug]:
        if kind in (F, S, K):
            return name
    return None


@transaction.atomic
def load_demo():
    """Create or complete the demo organisation and accounts. Returns the demo users."""
    users = []
    for municipality in Municipality.objects.filter(slug__in=UNITS):
        created_units = {}
        for name, kind, parent_name in UNITS[municipality.slug]:
            unit, _ = OrganisationalUnit.objects.get_or_create(
                municipality=municipality,
                name=name,
                defaults={"kind": kind, "parent": created_units.get(parent_name)},
            )
            created_units[name] = unit
        for name, kind in ACTORS:
            ExternalActor.objects.get_or_create(municipality=municipality, name=name, defaults={"kind": kind})
        for role, local_part in ROLE_LOGINS.items():
            user = _demo_user(
                f"{local_part}.{municipality.slug}@{DEMO_DOMAIN}",
                ROLE_PERSON_NAMES[role],
                municipality=municipality,
                unit=created_units.get(_applicant_unit(municipality.slug)) if role == Role.APPLICANT else None,
            )
            RoleAssignment.objects.get_or_create(user=user, role=role)
            users.append(user)
    users.append(_demo_user(f"systemadmin@{DEMO_DOMAIN}", "Sigrid Systemadmin", is_staff=True, is_superuser=True))
    return users


def _demo_user(email, full_name, **fields):
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_demo": True, **fields}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user
