"""The report, project and overview pages: what each person sees and may do, errors next to the
field, tenant walls, and query counts that do not grow with the projects."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.enums import CaseState
from applications.models import Case
from applications.services.content import create_case
from demo.walk import walk_to
from municipalities.models import Municipality
from reporting import selectors, services
from reporting.models import ObligationStatus
from tests.factories import UserFactory

D = datetime.date


@pytest.fixture
def half_time(running, time_machine):
    case, users = running("norrkoping")
    services.generate_obligations(case)
    time_machine.move_to(datetime.datetime(2028, 5, 31, 10, tzinfo=datetime.UTC))
    return case, users, case.reporting_obligations.get(kind="half_time")


def url(obligation, name="reporting:report"):
    return reverse(name, args=[obligation.case_id, obligation.pk])


def form_data(obligation, *, action, text="Gjort.", outcome="250 000"):
    data = {f"text_{i}": text for i in range(len(selectors.report_headings(obligation)))}
    data |= {f"outcome_{year}": outcome for year in selectors.report_years(obligation)}
    return data | {"economy_comment": "", "action": action}


def test_project_manager_submits_the_report_from_its_page(client, half_time):
    _case, users, obligation = half_time
    client.force_login(users["applicant"])

    page = client.get(url(obligation)).content.decode()
    assert "Lämna in rapporten" in page
    assert "Genomförda aktiviteter" in page

    response = client.post(url(obligation), form_data(obligation, action="submit"), follow=True)

    assert "Rapporten är inlämnad." in response.content.decode()
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.SUBMITTED
    assert [line.outcome for line in obligation.report.cost_lines.all()] == [250000, 250000]


def test_report_with_a_missing_figure_shows_the_error_beside_the_field(client, half_time):
    _case, users, obligation = half_time
    client.force_login(users["applicant"])
    data = form_data(obligation, action="submit")
    data["outcome_2028"] = ""

    response = client.post(url(obligation), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error_1_id_outcome_2028"' in html
    assert "Ange utfallet för 2028 (0 om inget har använts)." in html
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.OPEN


def test_report_with_text_in_an_amount_field_is_refused_in_swedish(client, half_time):
    _case, users, obligation = half_time
    client.force_login(users["applicant"])
    data = form_data(obligation, action="save")
    data["outcome_2027"] = "mycket"

    response = client.post(url(obligation), data)

    assert response.status_code == 400
    assert "Skriv beloppet i kronor, till exempel 1 250 000." in response.content.decode()


def test_receiver_accepts_the_report_from_its_page(client, half_time):
    _case, users, obligation = half_time
    client.force_login(users["applicant"])
    client.post(url(obligation), form_data(obligation, action="submit"))
    client.force_login(users["preparer"])

    page = client.get(url(obligation)).content.decode()
    assert "Godkänn rapporten" in page
    assert "Gjort." in page
    response = client.post(url(obligation, "reporting:review"), {"action": "accept", "comment": ""}, follow=True)

    assert "Rapporten är godkänd." in response.content.decode()
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.ACCEPTED


def test_someone_outside_the_project_cannot_post_a_report(client, half_time):
    _case, users, obligation = half_time
    client.force_login(users["controller"])

    page = client.get(url(obligation)).content.decode()
    assert "Lämna in rapporten" not in page
    assert "Bara projektledaren eller projektägaren kan skriva projektets rapporter." in page
    assert client.post(url(obligation), form_data(obligation, action="submit")).status_code == 403
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.OPEN


def test_wrong_role_cannot_accept_from_the_page(client, half_time):
    _case, users, obligation = half_time
    client.force_login(users["applicant"])
    client.post(url(obligation), form_data(obligation, action="submit"))

    response = client.post(url(obligation, "reporting:review"), {"action": "accept"}, follow=True)

    assert "Bara Tjänstepersonsgruppen på kommunstyrelsens kontor tar emot rapporten." in response.content.decode()
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.SUBMITTED


@pytest.mark.parametrize("name", ["reporting:report", "reporting:review", "reporting:upload"])
def test_another_municipality_gets_not_found(client, half_time, name):
    case, _users, obligation = half_time
    stranger = UserFactory(
        municipality=Case.objects.exclude(pk=case.pk).first().municipality if Case.objects.count() > 1 else None
    )

    stranger = UserFactory(municipality=Municipality.objects.get(slug="ystad"), roles=["preparer", "controller"])
    client.force_login(stranger)

    response = (
        client.post(url(obligation, name), {"action": "accept"})
        if name != "reporting:report"
        else client.get(url(obligation))
    )

    assert response.status_code == 404
    obligation.refresh_from_db()
    assert obligation.status == ObligationStatus.OPEN


def test_project_page_saves_the_organisation_with_errors_beside_the_field(client, half_time):
    case, users, _obligation = half_time
    unit = case.municipality.units.first()
    first, second = (UserFactory(municipality=case.municipality, unit=unit) for _ in range(2))
    client.force_login(users["applicant"])
    page = reverse("reporting:project", args=[case.pk])

    refused = client.post(page, {"manager": users["applicant"].pk, "group": [first.pk, second.pk]})
    assert refused.status_code == 400
    assert "företräder samma part" in refused.content.decode()

    saved = client.post(page, {"manager": first.pk, "owners": [users["management"].pk]}, follow=True)
    assert "Projektorganisationen är sparad." in saved.content.decode()
    assert services.project_manager(Case.objects.get(pk=case.pk)) == first


def test_case_page_links_each_report(client, half_time):
    case, users, obligation = half_time
    client.force_login(users["applicant"])

    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    assert url(obligation) in html
    assert "Projekt och uppföljning" in html


def test_overview_is_for_staff(client, half_time):
    _case, users, _obligation = half_time
    client.force_login(users["applicant"])
    assert client.get(reverse("reporting:overview")).status_code == 403


def test_overview_lists_overdue_first_and_reports_waiting(client, people, time_machine):
    time_machine.move_to(datetime.datetime(2027, 2, 15, 10, tzinfo=datetime.UTC))
    users = people("heby")
    cases = []
    for title, start, end in [("Sen", D(2027, 3, 1), D(2027, 6, 30)), ("Tidig", D(2027, 3, 1), D(2028, 6, 30))]:
        case = walk_to(create_case(users["applicant"], title=title), CaseState.RUNNING, users)
        Case.objects.filter(pk=case.pk).update(period_start=start, period_end=end)
        services.generate_obligations(Case.objects.get(pk=case.pk))
        cases.append(Case.objects.get(pk=case.pk))
    time_machine.move_to(datetime.datetime(2027, 7, 10, 10, tzinfo=datetime.UTC))

    overview = selectors.reporting_overview(users["preparer"])

    assert [(o.case.title, o.due_date) for o in overview["upcoming"]] == [
        ("Sen", D(2027, 6, 30)),
        ("Tidig", D(2027, 12, 31)),
    ]
    assert overview["waiting"] == []


def test_overview_makes_the_same_number_of_queries_for_2_and_5_projects(client, people, time_machine):
    time_machine.move_to(datetime.datetime(2027, 2, 15, 10, tzinfo=datetime.UTC))
    users = people("ystad")

    def add_projects(count):
        for index in range(count):
            case = walk_to(create_case(users["applicant"], title=f"Projekt {index}"), CaseState.RUNNING, users)
            services.generate_obligations(case)

    add_projects(2)
    client.force_login(users["controller"])
    with CaptureQueriesContext(connection) as few:
        html = client.get(reverse("reporting:overview")).content.decode()
    assert html.count("Projekt ") >= 2
    add_projects(3)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("reporting:overview")).content.decode()
    assert "(5)" in html
    assert len(many.captured_queries) == len(few.captured_queries)


def test_admin_sets_this_years_bokslut_date_and_open_reports_follow(client, running, time_machine):
    case, _users = running("ystad")
    services.generate_obligations(case)
    admin = UserFactory(municipality=case.municipality, roles=["municipal_admin"])
    client.force_login(admin)
    page = reverse("reporting:dates")
    assert "Delårsbokslut 2" in client.get(page).content.decode()

    response = client.post(page, {"name": "Delårsbokslut 2", "year": 2028, "date": "2028-09-15"}, follow=True)

    assert "1 pågående projekt har fått sina rapporter omplanerade" in response.content.decode()
    dues = list(case.reporting_obligations.filter(name="Delårsbokslut 2").values_list("due_date", flat=True))
    assert D(2028, 9, 15) in dues
    assert D(2028, 8, 31) not in dues


def test_reporting_date_outside_its_year_is_refused_beside_the_field(client, running):
    case, _users = running("ystad")
    client.force_login(UserFactory(municipality=case.municipality, roles=["municipal_admin"]))

    response = client.post(reverse("reporting:dates"), {"name": "Årsbokslut", "year": 2028, "date": "2029-01-10"})

    assert response.status_code == 400
    assert "Datumet måste ligga inom det angivna året." in response.content.decode()


def test_only_the_municipal_admin_sets_reporting_dates(client, running):
    _case, users = running("ystad")
    client.force_login(users["preparer"])

    assert client.get(reverse("reporting:dates")).status_code == 403
    assert (
        client.post(reverse("reporting:dates"), {"name": "Årsbokslut", "year": 2028, "date": "2028-12-20"}).status_code
        == 403
    )


def test_report_attachment_is_uploaded_by_the_manager_and_refused_when_not_a_pdf(client, half_time, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    case, users, obligation = half_time
    client.force_login(users["applicant"])
    upload = reverse("reporting:upload", args=[case.pk, obligation.pk])

    refused = client.post(upload, {"file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00")}, follow=True)
    assert "Filtypen .exe tas inte emot." in refused.content.decode()
    accepted = client.post(upload, {"file": SimpleUploadedFile("ekonomi.pdf", b"%PDF-1.7 underlag")}, follow=True)
    assert "Bilagan är uppladdad." in accepted.content.decode()

    attachment = obligation.report.attachments.get()
    download = reverse("reporting:attachment", args=[case.pk, obligation.pk, attachment.pk])
    assert b"".join(client.get(download).streaming_content) == b"%PDF-1.7 underlag"
    client.force_login(UserFactory(municipality=Municipality.objects.get(slug="ystad"), roles=["controller"]))
    assert client.get(download).status_code == 404
