from django.core.management.base import BaseCommand, CommandError

from municipalities.models import Municipality, RuleSetVersion
from municipalities.services import export_ruleset


class Command(BaseCommand):
    help = "Print a municipality's rule set (the version in force, or --ruleset-version N) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument(
            "--ruleset-version", type=int, dest="number", help="A version number; default: the one in force."
        )

    def handle(self, *args, slug, number, **options):
        try:
            municipality = Municipality.objects.get(slug=slug)
            self.stdout.write(export_ruleset(municipality, number), ending="")
        except Municipality.DoesNotExist as error:
            known = ", ".join(Municipality.objects.values_list("slug", flat=True)) or "-"
            raise CommandError(f"Okänd kommun: {slug}. Kända: {known}") from error
        except RuleSetVersion.DoesNotExist as error:
            raise CommandError(f"{slug} har ingen regelverksversion {number or ''}".strip()) from error
