"""The case list's export: the job's file holds exactly the cases the list's filters select, the
export's queries do not grow with the rows, and only those who may export reach it."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.enums import Role
from accounts.models import User
from applications.enums import CaseState as S
from applications.models import Case, CaseCost
from core.enums import JobStatus
from exports.enums import ExportFormat, ExportKind
from exports.models import ExportJob
from exports.tables import table
from exports.writers import write

pytestmark = pytest.mark.django_db


def bulk_cases(user, count, *, start=0, state=S.SUBMITTED, title="Insats"):
    municipality = user.municipality
    ruleset = municipality.active_ruleset
    cases = Case.objects.bulk_create(
        Case(
            municipality=municipality,
            ruleset_version=ruleset,
            number=f"KS 2026/{start + i:05d}",
            title=f"{title} {start + i}",
            state=state,
            created_by=user,
        )
        for i in range(count)
    )
    CaseCost.objects.bulk_create(CaseCost(case=case, year=2027, amount=Decimal("100000")) for case in cases)
    return cases


def exported_numbers(content):
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return sorted(row[0] for row in rows[1:])


def test_the_lists_export_holds_exactly_the_cases_the_filters_select(
    client, member, django_capture_on_commit_callbacks
):
    controller = member("ystad", Role.CONTROLLER)
    wanted = bulk_cases(controller, 3, title="Läxhjälp")
    bulk_cases(controller, 2, start=3, title="Läxhjälp", state=S.DRAFT)
    bulk_cases(controller, 4, start=5, title="Närvaro")
    bulk_cases(member("ale", Role.CONTROLLER), 2, title="Läxhjälp")  # another municipality's
    client.force_login(controller)
    query = "q=läxhjälp&state=submitted&sort=-title"

    page = client.get(f"{reverse('exports:case_list')}?{query}")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("exports:case_list"), {"format": ExportFormat.CSV, "query": query})

    html = page.content.decode()
    assert "Exporten innehåller de 3 ärenden som listan visar" in html
    assert '<dt class="col-sm-4">Sök</dt><dd class="col-sm-8">läxhjälp</dd>' in html
    job = ExportJob.objects.get()
    assert response.url == reverse("exports:job", args=[job.pk])
    assert (job.kind, job.status, job.total) == (ExportKind.CASES, JobStatus.DONE, 3)
    assert job.filters == {"case_list": "q=l%C3%A4xhj%C3%A4lp&state=submitted"}
    content = client.get(reverse("exports:download", args=[job.pk])).content
    assert exported_numbers(content) == sorted(case.number for case in wanted)


def test_an_invalid_filter_is_left_out_of_the_export_and_the_page_says_so(client, member):
    controller = member("ystad", Role.CONTROLLER)
    bulk_cases(controller, 2)
    client.force_login(controller)

    page = client.get(reverse("exports:case_list"), {"state": "nonsens"})

    assert page.status_code == 200
    assert "Exporten innehåller de 2 ärenden som listan visar" in page.content.decode()
    assert "Okänd status: nonsens. Välj en av statusarna i listan." in page.content.decode()


def test_the_case_list_offers_its_export_only_to_those_who_may_export(client, member):
    controller = member("ystad", Role.CONTROLLER)
    applicant = member("ystad", Role.APPLICANT)
    bulk_cases(applicant, 1)
    link = reverse("exports:case_list")

    client.force_login(controller)
    offered = link in client.get(reverse("applications:list"), {"state": "submitted"}).content.decode()
    client.force_login(applicant)
    hidden = link not in client.get(reverse("applications:list"), {"state": "submitted"}).content.decode()
    refused = client.post(link, {"format": ExportFormat.CSV, "query": ""}).status_code

    assert offered
    assert hidden
    assert refused == 403
    assert ExportJob.objects.count() == 0


def _queries_to_export(user, query):
    user = User.objects.get(pk=user.pk)  # as the job reads it: fresh, nothing cached on it
    with CaptureQueriesContext(connection) as queries:
        write([table(ExportKind.CASES, user, {"case_list": query})], ExportFormat.XLSX)
    return len(queries)


def test_the_lists_export_makes_the_same_number_of_queries_for_5_and_50_cases(member):
    preparer = member("ystad", Role.PREPARER)
    query = "q=Insats&stage=application&amount_min=1000&waiting=on"
    bulk_cases(preparer, 5)
    five = _queries_to_export(preparer, query)
    bulk_cases(preparer, 45, start=5)

    fifty = _queries_to_export(preparer, query)

    assert table(ExportKind.CASES, preparer, {"case_list": query}).count == 50
    assert five == fifty
