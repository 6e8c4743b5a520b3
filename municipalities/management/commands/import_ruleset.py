from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from municipalities.rulebook.validation import RuleSetInvalidError
from municipalities.services import import_ruleset_file


class Command(BaseCommand):
    help = "Import a rule-set file as the municipality's newest version (a draft unless --activate)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--activate", action="store_true", help="Put the version in force now.")
        parser.add_argument("--note", default="")

    def handle(self, *args, file, activate, note, **options):
        if not file.exists():
            raise CommandError(f"Filen finns inte: {file}")
        try:
            version, created = import_ruleset_file(file, activate=activate, note=note)
        except RuleSetInvalidError as error:
            for problem in error.problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError("Regelverket importerades inte: rätta felen ovan.") from error
        verb = "Importerade" if created else "Oförändrat:"
        self.stdout.write(
            f"{verb} {version.municipality.slug} version {version.number} ({version.get_status_display()})"
        )
