"""Benchmark: the time and the number of queries to export 20,000 cases, with their costs and
ledger entries, to XLSX through the export job (the path the Celery task takes).

Runs against a throwaway in-memory database: python benchmarks/export_cases.py
"""

import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

CASES = 20_000


def main():
    call_command("migrate", verbosity=0)
    call_command("load_rulesets", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from accounts.enums import Role
    from accounts.models import RoleAssignment, User
    from applications.models import Case, CaseCost
    from exports.enums import ExportFormat, ExportKind
    from exports.models import ExportJob
    from exports.services import run_export
    from funds.enums import EntryKind
    from funds.models import Fund, LedgerEntry
    from municipalities.models import Municipality

    municipality = Municipality.objects.get(slug="ystad")
    user = User.objects.create(email="controller@ystad.example", municipality=municipality)
    RoleAssignment.objects.create(user=user, role=Role.CONTROLLER)
    fund = Fund.objects.create(municipality=municipality, name="Fonden", created_by=user)
    ruleset = municipality.active_ruleset
    Case.objects.bulk_create(
        Case(
            municipality=municipality,
            ruleset_version=ruleset,
            number=f"KS 2026/{i:05d}",
            title=f"Insats {i}",
            created_by=user,
        )
        for i in range(CASES)
    )
    case_ids = list(Case.objects.values_list("pk", flat=True))
    CaseCost.objects.bulk_create(
        CaseCost(case_id=pk, year=year, amount=Decimal("250000.50")) for pk in case_ids for year in (2026, 2027)
    )
    day = datetime.date(2026, 10, 20)
    LedgerEntry.objects.bulk_create(
        LedgerEntry(fund=fund, kind=kind, year=2026, entry_date=day, amount=amount, case_id=pk, recorded_by=user)
        for pk in case_ids
        for kind, amount in ((EntryKind.COMMITMENT, Decimal("500001.00")), (EntryKind.PAYOUT, Decimal("125000.25")))
    )
    job = ExportJob.objects.create(
        municipality=municipality, created_by=user, kind=ExportKind.CASES, format=ExportFormat.XLSX, filters={}
    )
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        job = run_export(job.pk)
        seconds = time.perf_counter() - start
    progress_updates = sum(1 for q in queries if q["sql"].startswith("UPDATE") and '"done"' in q["sql"])
    print(f"exported {job.done} cases to XLSX ({len(bytes(job.content)) / 1e6:.1f} MB), status {job.status}")
    print(f"time: {seconds:.2f} s")
    print(
        f"queries: {len(queries)} ({progress_updates} of them progress updates:"
        " the start, at most 20 steps of 5 % and the end)"
    )


if __name__ == "__main__":
    main()
