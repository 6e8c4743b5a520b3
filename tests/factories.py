import factory

from accounts.models import RoleAssignment, User
from municipalities.enums import ActorKind, UnitKind
from municipalities.models import ExternalActor, Municipality, OrganisationalUnit


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"kommun-{n}")
    name = factory.Sequence(lambda n: f"Testkommun {n}")


class OrganisationalUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationalUnit

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Förvaltning {n}")
    kind = UnitKind.FORVALTNING


class ExternalActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalActor

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Förening {n}")
    kind = ActorKind.CIVIL_SOCIETY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@kommun.se")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    password = factory.PostGenerationMethodCall("set_password", "hemligt-lösen-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            RoleAssignment.objects.create(user=self, role=role)
        self.save()
