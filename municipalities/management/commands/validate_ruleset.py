from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from municipalities.rulebook.validation import RuleSetInvalidError, parse_ruleset


class Command(BaseCommand):
    help = "Validate rule-set files against the schema, without importing them."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files, **options):
        failed = False
        for path in files:
            try:
                parse_ruleset(path.read_text(encoding="utf-8"))
            except RuleSetInvalidError as error:
                failed = True
                for problem in error.problems:
                    self.stderr.write(f"{path}: {problem}")
            else:
                self.stdout.write(f"{path}: OK")
        if failed:
            raise CommandError("Ogiltigt regelverk.")
