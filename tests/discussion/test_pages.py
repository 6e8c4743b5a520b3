import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from discussion.enums import Visibility
from discussion.models import Comment, CommentRevision
from discussion.services import edit_comment, post_comment
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def page(client, case):
    return client.get(reverse("applications:detail", args=[case.pk])).content.decode()


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_case_page_shows_applicant_only_user_shared_comments_only(client, new_case):
    case, users = new_case("ystad")
    post_comment(case, users["preparer"], text="Intern anteckning", visibility=Visibility.INTERNAL)
    post_comment(case, users["preparer"], text="Till sökande", visibility=Visibility.SHARED)

    client.force_login(users["applicant"])
    html = page(client, case)

    assert ("Till sökande" in html, "Intern anteckning" in html) == (True, False)
    assert "intern (endast handläggare)</span>" not in html
    assert 'name="visibility" value="internal"' not in html


def test_case_page_shows_staff_internal_and_shared_comments_with_badges(client, new_case):
    case, users = new_case("ystad")
    post_comment(case, users["preparer"], text="Intern anteckning", visibility=Visibility.INTERNAL)
    post_comment(case, users["preparer"], text="Till sökande", visibility=Visibility.SHARED)

    client.force_login(users["decision_body"])
    html = page(client, case)

    assert ("Till sökande" in html, "Intern anteckning" in html) == (True, True)
    assert html.count("intern (endast handläggare)</span>") == 1
    assert html.count("delad med sökande</span>") == 1
    assert '<h3 id="h-comments" class="h4 card-title">Kommentarer</h3>' in html


def test_comment_post_on_case_of_another_municipality_not_found_and_nothing_stored(client, new_case, people):
    case, _ = new_case("ystad")
    heby = people("heby")
    client.force_login(heby["preparer"])

    response = client.post(reverse("discussion:post", args=[case.pk]), {"text": "Hej", "visibility": "shared"})

    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_comment_reply_and_edit_on_case_of_another_municipality_not_found(client, new_case, people):
    case, users = new_case("ystad")
    comment, _ = post_comment(case, users["preparer"], text="Hej", visibility=Visibility.SHARED)
    client.force_login(people("heby")["preparer"])

    reply = client.post(reverse("discussion:reply", args=[case.pk, comment.pk]), {"text": "x", "visibility": "shared"})
    edit = client.post(reverse("discussion:edit", args=[case.pk, comment.pk]), {"text": "x"})

    assert (reply.status_code, edit.status_code) == (404, 404)
    assert (Comment.objects.count(), Comment.objects.get().text) == (1, "Hej")


def test_comment_post_internal_by_applicant_refused_with_message(client, new_case):
    case, users = new_case("ystad")
    client.force_login(users["applicant"])

    response = client.post(
        reverse("discussion:post", args=[case.pk]), {"text": "Hemligt", "visibility": "internal"}, follow=True
    )

    assert messages_of(response) == [
        "Som sökande kan du bara skriva kommentarer som delas med sökande, inte interna kommentarer."
    ]
    assert Comment.objects.count() == 0


def test_comment_post_by_staff_redirects_to_comment_with_notice(client, new_case):
    case, users = new_case("ystad")
    client.force_login(users["preparer"])

    response = client.post(reverse("discussion:post", args=[case.pk]), {"text": "Klart", "visibility": "shared"})

    comment = Comment.objects.get()
    assert (comment.visibility, comment.author) == ("shared", users["preparer"])
    assert response.url == f"/arenden/{case.pk}/#kommentar-{comment.pk}"
    assert messages_of(client.get(response.url)) == ["Kommentaren är publicerad."]


def test_comment_text_shown_escaped(client, new_case):
    case, users = new_case("ystad")
    client.force_login(users["applicant"])

    client.post(reverse("discussion:post", args=[case.pk]), {"text": "<script>alert(1)</script>\nrad två"})

    assert Comment.objects.get().text == "<script>alert(1)</script>\nrad två"
    html = page(client, case)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>rad två" in html
    assert "<script>alert(1)</script>" not in html


def test_comment_edit_shows_changed_and_earlier_text(client, new_case):
    case, users = new_case("ystad")
    comment, _ = post_comment(case, users["applicant"], text="Gammal <text>", visibility=Visibility.SHARED)
    client.force_login(users["applicant"])

    response = client.post(reverse("discussion:edit", args=[case.pk, comment.pk]), {"text": "Ny text"}, follow=True)

    assert messages_of(response) == ["Kommentaren är ändrad; den tidigare texten finns kvar i historiken."]
    assert CommentRevision.objects.get().text == "Gammal <text>"
    html = page(client, case)
    assert "<em>ändrad <time" in html
    assert "<summary>Tidigare version (1)</summary>" in html
    assert '<div class="text-muted">Gammal &lt;text&gt;</div>' in html
    assert '<div class="comment-text">Ny text</div>' in html


def test_comment_edit_by_another_user_refused(client, new_case):
    case, users = new_case("ystad")
    comment, _ = post_comment(case, users["applicant"], text="Min text", visibility=Visibility.SHARED)
    client.force_login(users["preparer"])

    response = client.post(reverse("discussion:edit", args=[case.pk, comment.pk]), {"text": "Ändrat"}, follow=True)

    assert messages_of(response) == ["Bara den som skrev kommentaren kan ändra den."]
    assert (Comment.objects.get().text, CommentRevision.objects.count()) == ("Min text", 0)
    assert f'action="/arenden/{case.pk}/kommentarer/{comment.pk}/andra/"' not in page(client, case)


def test_comment_reply_to_internal_is_internal(client, new_case):
    case, users = new_case("ystad")
    parent, _ = post_comment(case, users["preparer"], text="Internt", visibility=Visibility.INTERNAL)
    client.force_login(users["management"])

    client.post(reverse("discussion:reply", args=[case.pk, parent.pk]), {"text": "Svar", "visibility": "shared"})

    reply = Comment.objects.get(parent=parent)
    assert (reply.text, reply.visibility) == ("Svar", "internal")


def test_mention_notifies_and_reports_who_could_not_be_notified(client, new_case, django_capture_on_commit_callbacks):
    case, users = new_case("ystad")
    colleague, applicant = users["management"], users["applicant"]
    client.force_login(users["preparer"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("discussion:post", args=[case.pk]),
            {"text": f"@{colleague.email} och @{applicant.email}: se budgeten", "visibility": "internal"},
        )

    assert [n.recipient for n in Notification.objects.all()] == [colleague]
    assert [message.to for message in mail.outbox] == [[colleague.email]]
    assert messages_of(client.get(response.url)) == [
        f"Kommentaren är publicerad. Aviserade: {colleague}. "
        f"{applicant.email} kunde inte aviseras: okänd adress, eller personen får inte läsa kommentaren."
    ]


def test_comment_attachment_of_wrong_type_refused_with_message(client, new_case, media):
    case, users = new_case("ystad")
    client.force_login(users["applicant"])
    with open(media / "skript.sh", "wb") as handle:
        handle.write(b"#!/bin/sh\n")
    with open(media / "skript.sh", "rb") as upload:
        response = client.post(
            reverse("discussion:post", args=[case.pk]), {"text": "Bifogar", "files": upload}, follow=True
        )

    assert messages_of(response) == [
        "Bilagan skript.sh: Filtypen .sh tas inte emot. Tillåtna: PDF, Word (.doc, .docx) och Excel (.xls, .xlsx)."
    ]
    assert Comment.objects.count() == 0


def test_comment_attachment_downloadable_only_by_readers(client, new_case, media, pdf):
    case, users = new_case("ystad")
    comment, _ = post_comment(
        case, users["preparer"], text="Underlag", visibility=Visibility.INTERNAL, files=[pdf("intern.pdf")]
    )
    attachment = comment.attachments.get()
    url = reverse("discussion:attachment", args=[case.pk, attachment.pk])

    client.force_login(users["preparer"])
    response = client.get(url)
    # Reading the stream to its end closes the file (an explicit close() would end the DB connection).
    assert (response.status_code, b"".join(response.streaming_content)[:5]) == (200, b"%PDF-")
    assert f'href="{url}">intern.pdf</a>' in page(client, case)

    client.force_login(users["applicant"])
    assert client.get(url).status_code == 404


def add_comments(case, users, count, pdf):
    """Threads with replies, each comment edited once and carrying a file."""
    roots = []
    for index in range(count):
        author = users["preparer"] if index % 2 else users["applicant"]
        parent = roots[-1].pk if index % 2 else None
        comment, _ = post_comment(
            case, author, text=f"Kommentar {index}", visibility="shared", parent_id=parent, files=[pdf(f"f{index}.pdf")]
        )
        if parent is None:
            roots.append(comment)
        edit_comment(case, comment.pk, author, text=f"Kommentar nr {index}")


def test_case_page_makes_the_same_number_of_queries_for_2_and_20_comments(
    client, new_case, media, pdf, django_assert_num_queries
):
    case, users = new_case("ystad")
    client.force_login(users["applicant"])
    add_comments(case, users, 2, pdf)
    with CaptureQueriesContext(connection) as few:
        html = page(client, case)
    assert html.count('<div class="comment-text">Kommentar nr ') == 2

    add_comments(case, users, 18, pdf)
    with django_assert_num_queries(len(few.captured_queries)):
        html = page(client, case)
    assert html.count('<div class="comment-text">Kommentar nr ') == 20
    assert html.count("<summary>Tidigare version (1)</summary>") == 20
