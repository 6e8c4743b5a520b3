"""Benchmark: the case list with 58,000 cases (6,000 of them open), for a preparer: the time and the
number of queries of one page with no filter, a search, filters with a sort by amount, "waiting on
me", and the export of a filtered list through the export job.

Runs against a throwaway in-memory database: python benchmarks/case_list.py
"""

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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

CASES, OPEN = 58_000, 6_000


def main():
    setup_test_environment()  # so that a response carries its context
    call_command("migrate", verbosity=0)
    call_command("load_rulesets", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from accounts.enums import Role
    from accounts.models import RoleAssignment, User
    from applications.enums import CaseState
    from applications.models import Case, CaseCost
    from exports.enums import ExportFormat, ExportKind
    from exports.models import ExportJob
    from exports.services import run_export
    from municipalities.models import Municipality, OrganisationalUnit

    municipality = Municipality.objects.get(slug="ystad")
    unit = OrganisationalUnit.objects.create(municipality=municipality, name="Socialförvaltningen", kind="forvaltning")
    user = User.objects.create(email="beredare@ystad.example", municipality=municipality)
    RoleAssignment.objects.create(user=user, role=Role.PREPARER)
    ruleset = municipality.active_ruleset
    closed = [CaseState.IMPLEMENTED, CaseState.REJECTED, CaseState.WITHDRAWN, CaseState.NOT_IMPLEMENTED]
    opened = [CaseState.SUBMITTED, CaseState.READY_FOR_DECISION, CaseState.DRAFT]
    Case.objects.bulk_create(
        (
            Case(
                municipality=municipality,
                ruleset_version=ruleset,
                number=f"KS {2000 + i % 26}/{i:05d}",
                title=f"Insats {i}",
                state=opened[i % 3] if i < OPEN else closed[i % 4],
                created_by=user,
                applicant_unit=unit,
            )
            for i in range(CASES)
        ),
        batch_size=5000,
    )
    CaseCost.objects.bulk_create(
        (
            CaseCost(case_id=pk, year=2027, amount=Decimal(10_000 + pk % 900_000))
            for pk in Case.objects.values_list("pk", flat=True)
        ),
        batch_size=5000,
    )
    client = Client()
    client.force_login(user)
    client.get("/arenden/")  # the process's first request loads templates, translations, the rule book
    pages = {
        "the first page, no filter": {},
        "a search": {"q": "Insats 4711"},
        "stage, state, amount range, sorted by amount": {
            "stage": "application",
            "state": "submitted",
            "amount_min": "10000",
            "amount_max": "13000",
            "sort": "-asked",
        },
        "waiting on me": {"waiting": "on"},
    }
    for name, params in pages.items():
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get("/arenden/", params)
            seconds = time.perf_counter() - start
        count = response.context["table"].paginator.count
        print(f"{name}: {count} cases, {seconds:.2f} s, {len(queries)} queries")
    job = ExportJob.objects.create(
        municipality=municipality,
        created_by=user,
        kind=ExportKind.CASES,
        format=ExportFormat.XLSX,
        filters={"case_list": "state=submitted&waiting=on"},
    )
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        job = run_export(job.pk)
        seconds = time.perf_counter() - start
    print(f"export of the submitted cases waiting on me: {job.done} cases, {seconds:.2f} s, {len(queries)} queries")


if __name__ == "__main__":
    main()
