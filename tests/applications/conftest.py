import copy

import pytest

from accounts.enums import Role
from applications.services import create_case
from municipalities.enums import RuleSetStatus
from municipalities.models import Municipality, RuleSetVersion
from municipalities.rulebook.validation import validate_ruleset
from tests.conftest import SLUGS, shipped_document
from tests.factories import ExternalActorFactory, OrganisationalUnitFactory, UserFactory


@pytest.fixture(scope="session")
def shipped_documents():
    """The shipped rule sets, each validated once per test run."""
    return {slug: validate_ruleset(shipped_document(slug)) for slug in SLUGS}


@pytest.fixture
def rulesets(db, shipped_documents):
    """The five shipped rule sets in force, stored directly rather than imported: importing and
    activating them is tested in tests/municipalities, and validating them for every test would
    take most of this suite's time."""
    for slug, document in shipped_documents.items():
        municipality = Municipality.objects.create(slug=slug, name=document["municipality"]["name"])
        RuleSetVersion.objects.create(
            municipality=municipality, number=1, status=RuleSetStatus.ACTIVE, document=copy.deepcopy(document)
        )


# Organisation per municipality: units of the kinds its rule set lets apply, under nämnder.
ORGANISATION = {
    "heby": [
        ("Socialnämnden", "namnd", None),
        ("Socialförvaltningen", "forvaltning", 0),
        ("Barn- och utbildningsförvaltningen", "forvaltning", 0),
    ],
    "ale": [("Sektor utbildning", "sektor", None), ("Sektor arbete och omsorg", "sektor", None)],
    "sundsvall": [
        ("Socialnämnden", "namnd", None),
        ("Barn- och utbildningsnämnden", "namnd", None),
        ("Individ- och arbetslivsförvaltningen", "forvaltning", 0),
        ("Barn- och utbildningsförvaltningen", "forvaltning", 1),
    ],
    "ystad": [
        ("Barn- och utbildningsnämnden", "namnd", None),
        ("Socialnämnden", "namnd", None),
        ("Barn- och utbildningsförvaltningen", "forvaltning", 0),
        ("Socialförvaltningen", "forvaltning", 1),
        ("Elevhälsan", "verksamhet", 2),
        ("Individ- och familjeomsorgen", "verksamhet", 3),
    ],
    "norrkoping": [
        ("Utbildningsnämnden", "namnd", None),
        ("Socialnämnden", "namnd", None),
        ("Utbildningskontoret", "kontor", 0),
        ("Socialkontoret", "kontor", 1),
    ],
}


@pytest.fixture
def organisation(rulesets):
    def build(slug):
        municipality = Municipality.objects.get(slug=slug)
        created = []
        for name, kind, parent in ORGANISATION[slug]:
            created.append(
                OrganisationalUnitFactory(
                    municipality=municipality,
                    name=name,
                    kind=kind,
                    parent=created[parent] if parent is not None else None,
                )
            )
        ExternalActorFactory(municipality=municipality, name="Föreningen Fritid", kind="civil_society")
        ExternalActorFactory(municipality=municipality, name="Konsult AB", kind="for_profit")
        return municipality

    return build


@pytest.fixture
def people(organisation):
    """One person per role in a municipality, the applicant working at a unit that may apply."""

    def build(slug):
        municipality = organisation(slug)
        document = municipality.active_ruleset.document
        units = list(municipality.units.filter(kind__in=document["eligibility"]["applicant_unit_kinds"]))
        users = {role.value: UserFactory(municipality=municipality, roles=[role]) for role in Role}
        users["applicant"].unit = units[0]
        users["applicant"].save()
        for unit in units[1:]:  # colleagues at the other units, who take part in their cases
            UserFactory(municipality=municipality, roles=[Role.APPLICANT], unit=unit)
        # A nämnd representative belongs to one nämnd: the board user to the first, and one more
        # representative for each other nämnd.
        namnder = list(municipality.units.filter(kind="namnd").order_by("pk"))
        if namnder:
            users["board"].unit = namnder[0]
            users["board"].save()
        for namnd in namnder[1:]:
            UserFactory(municipality=municipality, roles=[Role.BOARD], unit=namnd)
        designate_heads(municipality)
        return users

    return build


def designate_heads(municipality):
    """A designated head for each unit whose head signs under the rule set (Ale's sektorer,
    Ystad's förvaltningar, Norrköping's kontor): a person of the unit, not the applicant."""
    rules = municipality.active_ruleset.rules
    kinds = {rule.head_unit_kind for rule in rules.application.signatures if rule.signer != "external_actor_heads"}
    titles = {rule.head_unit_kind: rule.head_title for rule in rules.application.signatures}
    for unit in municipality.units.filter(kind__in=kinds):
        unit.head = UserFactory(
            municipality=municipality, unit=unit, full_name=f"Chef {unit.name}", title=titles[unit.kind]
        )
        unit.save(update_fields=["head"])


@pytest.fixture
def new_case(people):
    def build(slug, title="Tidiga insatser för unga"):
        users = people(slug)
        return create_case(users["applicant"], title=title), users

    return build


def filled_draft(new_case, slug):
    """A draft of the municipality's application with every part its rule set asks for."""
    from applications.enums import CaseState
    from applications.models import Case
    from demo.walk import fill_application, walk_to

    case, users = new_case(slug)
    case = walk_to(case, CaseState.DRAFT, users)
    fill_application(case, users["applicant"])
    return Case.objects.get(pk=case.pk), users
