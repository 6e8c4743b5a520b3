from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from demo.loader import DEMO_PASSWORD, load_demo, load_demo_cases
from municipalities.services import load_shipped_rulesets


class Command(BaseCommand):
    help = (
        "Load the five rule sets, the demo organisation and accounts, and demo cases in every stage. Safe to run again."
    )

    def handle(self, *args, **options):
        # Demo people have made-up addresses: their notifications are not mailed anywhere.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self.load(*args, **options)

    def load(self, *args, **options):
        load_shipped_rulesets()
        users = load_demo()
        self.stdout.write("Demoärenden:")
        created = load_demo_cases(stdout=self.stdout)
        self.stdout.write(f"  {created} nya demoärenden.")
        self.stdout.write(self.style.SUCCESS(f"Demokonton (lösenord: {DEMO_PASSWORD}):"))
        for user in users:
            roles = ", ".join(str(a.get_role_display()) for a in user.role_assignments.all())
            roles = roles or ("systemadministratör" if user.is_superuser else user.title)
            self.stdout.write(f"  {user.email:<42} {roles}")
