import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.enums import CaseState
from applications.models import Case
from applications.services.content import create_case
from demo.walk import walk_to

pytestmark = pytest.mark.django_db


def make_cases(users, count, target=CaseState.SUBMITTED):
    for index in range(count):
        walk_to(create_case(users["applicant"], title=f"Insats {index}"), target, users)


# The case list's own size test, at 30 and 3,000 cases with its filters, is in test_case_list.py;
# its pages hold 25 cases, so 30 would not all show here.
@pytest.mark.parametrize("url_name", ["start"])
def test_case_lists_make_the_same_number_of_queries_for_3_and_30_cases(
    client, people, url_name, django_assert_num_queries
):
    users = people("heby")
    client.force_login(users["preparer"])
    make_cases(users, 3)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse(url_name))
    assert response.content.decode().count("Ny ansökan att bereda.") == 3
    make_cases(users, 27)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name))
    assert response.content.decode().count("Ny ansökan att bereda.") == 30


def test_case_page_shows_the_stages_steps_in_the_lifecycles_order(client, people, time_machine):
    time_machine.move_to("2026-09-15 10:00 +02:00")
    users = people("ale")
    case = walk_to(create_case(users["applicant"], title="Familjeteam"), CaseState.EVALUATED, users)
    client.force_login(users["preparer"])

    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()

    headings = ["h-steps-idea", "h-steps-preparation", "h-steps-start", "h-steps-implementation"]
    assert [html.index(f'id="{heading}"') for heading in headings] == sorted(
        html.index(f'id="{heading}"') for heading in headings
    )


def test_case_page_shows_why_an_action_is_not_possible(client, people):
    users = people("ystad")
    case = walk_to(create_case(users["applicant"], title="Närvaro"), CaseState.IN_PREPARATION, users)
    client.force_login(users["preparer"])
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "Klar för beslut</strong>: inte möjligt nu – Steg som återstår:" in html
    client.force_login(users["decision_body"])
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "Processgruppen kontrollerar att ansökan är komplett" in html
    assert "Bara Processgruppen kan göra detta steg." in html


def test_case_of_another_municipality_is_not_found(client, people):
    ystad = people("ystad")
    heby = people("heby")
    case = create_case(ystad["applicant"], title="Närvaro")
    client.force_login(heby["preparer"])
    assert client.get(reverse("applications:detail", args=[case.pk])).status_code == 404
    response = client.post(
        reverse("applications:transition", args=[case.pk, "withdraw"]),
        {"expected_state": case.state, "reason": "x"},
    )
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).state == case.state


def test_transition_through_page_records_history_and_refusal_changes_nothing(client, people):
    users = people("heby")
    case = walk_to(create_case(users["applicant"], title="Närvaro"), CaseState.SUBMITTED, users)
    client.force_login(users["applicant"])
    response = client.post(
        reverse("applications:transition", args=[case.pk, "start_preparation"]),
        {"expected_state": "submitted"},
        follow=True,
    )
    assert "Bara Styrgruppen för barn och unga kan göra detta." in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "submitted"
    client.force_login(users["preparer"])
    client.post(
        reverse("applications:transition", args=[case.pk, "start_preparation"]), {"expected_state": "submitted"}
    )
    assert Case.objects.get(pk=case.pk).state == "in_preparation"
    html = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "<strong>Börja bereda</strong>" in html
    assert "(ansökan: inlämnad → under beredning)" in html


def test_stale_page_is_refused_with_a_clear_message(client, people):
    users = people("heby")
    case = walk_to(create_case(users["applicant"], title="Närvaro"), CaseState.IN_PREPARATION, users)
    client.force_login(users["preparer"])
    response = client.post(
        reverse("applications:transition", args=[case.pk, "start_preparation"]),
        {"expected_state": "submitted"},
        follow=True,
    )
    assert "Ärendet har ändrats av någon annan" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "in_preparation"


def test_unknown_status_filter_says_so(client, people):
    users = people("heby")
    client.force_login(users["preparer"])
    response = client.get(reverse("applications:list"), {"state": "nonsens"})
    assert "Okänd status: nonsens. Välj en av statusarna i listan." in response.content.decode()


def test_wrong_upload_type_and_size_are_refused_with_the_limit(client, people, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MAX_UPLOAD_MB = 1
    users = people("heby")
    case = create_case(users["applicant"], title="Närvaro")
    client.force_login(users["applicant"])
    exe = SimpleUploadedFile("program.exe", b"MZ\x90\x00", "application/octet-stream")
    html = client.post(reverse("applications:upload", args=[case.pk]), {"file": exe}, follow=True).content.decode()
    assert "Filtypen .exe tas inte emot. Tillåtna: PDF, Word (.doc, .docx) och Excel (.xls, .xlsx)." in html
    big = SimpleUploadedFile("stor.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1), "application/pdf")
    html = client.post(reverse("applications:upload", args=[case.pk]), {"file": big}, follow=True).content.decode()
    assert "högsta tillåtna storlek är 1 MB" in html
    ok = SimpleUploadedFile("budget.pdf", b"%PDF-1.7\nhej", "application/pdf")
    client.post(reverse("applications:upload", args=[case.pk]), {"file": ok})
    assert [a.original_name for a in case.attachments.all()] == ["budget.pdf"]
