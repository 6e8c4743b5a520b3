from django.core.management.base import BaseCommand

from municipalities.services import load_shipped_rulesets


class Command(BaseCommand):
    help = "Load the rule sets that ship with Fonden and put each in force. Safe to run again."

    def handle(self, *args, **options):
        for version, created in load_shipped_rulesets():
            state = "ny version" if created else "oförändrad"
            self.stdout.write(f"{version.municipality.slug}: version {version.number} ({state})")
