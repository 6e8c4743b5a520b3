import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.services import TransitionRefusedError
from audit.models import AuditEntry
from discussion.enums import Visibility
from discussion.models import AppendOnlyError, Comment, CommentAttachment, CommentRevision
from discussion.services import comment_threads, edit_comment, mentioned_addresses, post_comment
from notifications.models import Notification, NotificationKind
from tests.discussion.conftest import PDF

pytestmark = pytest.mark.django_db

INTERNAL = Visibility.INTERNAL
SHARED = Visibility.SHARED


def test_post_comment_stores_it_and_records_history(new_case):
    case, users = new_case("ystad")

    comment, report = post_comment(case, users["preparer"], text="Saknas budget?", visibility=INTERNAL)

    assert (comment.case, comment.author, comment.visibility, comment.text, comment.parent) == (
        case,
        users["preparer"],
        INTERNAL,
        "Saknas budget?",
        None,
    )
    assert (report.notified, report.not_notified) == ([], [])
    entry = AuditEntry.objects.for_object(case).get(action="comment.posted")
    assert (entry.actor, entry.data) == (
        users["preparer"],
        {"comment": comment.pk, "visibility": "internal", "reply_to": None, "files": []},
    )
    assert entry.description == "Kommentar skriven"


def test_comment_threads_for_applicant_only_user_hold_shared_comments_only(new_case):
    case, users = new_case("ystad")
    post_comment(case, users["preparer"], text="Internt", visibility=INTERNAL)
    post_comment(case, users["preparer"], text="Delat", visibility=SHARED)

    assert [c.text for c in comment_threads(case, users["applicant"])] == ["Delat"]
    assert [c.text for c in comment_threads(case, users["management"])] == ["Internt", "Delat"]


def test_comment_on_case_of_another_municipality_refused_and_nothing_stored(new_case, people):
    case, _ = new_case("ystad")
    heby = people("heby")

    with pytest.raises(TransitionRefusedError) as refusal:
        post_comment(case, heby["preparer"], text="Hej", visibility=SHARED)

    assert str(refusal.value) == "Du kan bara kommentera ärenden som du har tillgång till i din kommun."
    assert Comment.objects.count() == 0


def test_comment_internal_by_applicant_refused_with_reason(new_case):
    case, users = new_case("ystad")

    with pytest.raises(TransitionRefusedError) as refusal:
        post_comment(case, users["applicant"], text="Hemligt", visibility=INTERNAL)

    assert str(refusal.value) == (
        "Som sökande kan du bara skriva kommentarer som delas med sökande, inte interna kommentarer."
    )
    assert Comment.objects.count() == 0


def test_comment_empty_text_refused(new_case):
    case, users = new_case("ystad")

    with pytest.raises(TransitionRefusedError) as refusal:
        post_comment(case, users["preparer"], text="   ", visibility=INTERNAL)

    assert str(refusal.value) == "Skriv en text i kommentaren."


def test_reply_to_internal_comment_is_internal(new_case):
    case, users = new_case("ystad")
    parent, _ = post_comment(case, users["preparer"], text="Internt", visibility=INTERNAL)

    reply, _ = post_comment(case, users["management"], text="Svar", visibility=SHARED, parent_id=parent.pk)

    assert (reply.parent, reply.visibility) == (parent, INTERNAL)


def test_reply_to_reply_joins_the_thread(new_case):
    case, users = new_case("ystad")
    root, _ = post_comment(case, users["preparer"], text="Fråga", visibility=SHARED)
    first, _ = post_comment(case, users["applicant"], text="Svar", visibility=SHARED, parent_id=root.pk)

    second, _ = post_comment(case, users["preparer"], text="Tack", visibility=SHARED, parent_id=first.pk)

    assert second.parent == root
    [thread] = comment_threads(case, users["applicant"])
    assert [reply.text for reply in thread.thread_replies] == ["Svar", "Tack"]


def test_reply_by_applicant_to_internal_comment_refused(new_case):
    case, users = new_case("ystad")
    parent, _ = post_comment(case, users["preparer"], text="Internt", visibility=INTERNAL)

    with pytest.raises(TransitionRefusedError) as refusal:
        post_comment(case, users["applicant"], text="Svar", visibility=SHARED, parent_id=parent.pk)

    assert str(refusal.value) == "Kommentaren du svarar på finns inte i ärendet."
    assert Comment.objects.count() == 1


def test_edit_comment_keeps_previous_text_as_revision(new_case):
    case, users = new_case("ystad")
    comment, _ = post_comment(case, users["preparer"], text="Första", visibility=INTERNAL)

    edited, _ = edit_comment(case, comment.pk, users["preparer"], text="Andra")

    assert (edited.text, edited.edited_at is not None) == ("Andra", True)
    revision = CommentRevision.objects.get(comment=comment)
    assert (revision.text, revision.edited_by, revision.edited_at) == ("Första", users["preparer"], edited.edited_at)
    entry = AuditEntry.objects.for_object(case).get(action="comment.edited")
    assert (entry.actor, entry.data, entry.description) == (
        users["preparer"],
        {"comment": comment.pk},
        "Kommentar ändrad",
    )


def test_edit_comment_by_someone_else_refused(new_case):
    case, users = new_case("ystad")
    comment, _ = post_comment(case, users["preparer"], text="Första", visibility=INTERNAL)

    with pytest.raises(TransitionRefusedError) as refusal:
        edit_comment(case, comment.pk, users["management"], text="Ändrat")

    assert str(refusal.value) == "Bara den som skrev kommentaren kan ändra den."
    assert (Comment.objects.get().text, CommentRevision.objects.count()) == ("Första", 0)


def test_edit_comment_unchanged_text_refused(new_case):
    case, users = new_case("ystad")
    comment, _ = post_comment(case, users["preparer"], text="Första", visibility=INTERNAL)

    with pytest.raises(TransitionRefusedError) as refusal:
        edit_comment(case, comment.pk, users["preparer"], text="Första")

    assert str(refusal.value) == "Texten är oförändrad."
    assert CommentRevision.objects.count() == 0


def test_comment_revision_cannot_be_changed_or_deleted(new_case):
    case, users = new_case("ystad")
    comment, _ = post_comment(case, users["preparer"], text="Första", visibility=INTERNAL)
    edit_comment(case, comment.pk, users["preparer"], text="Andra")
    revision = CommentRevision.objects.get()

    revision.text = "Förfalskat"
    with pytest.raises(AppendOnlyError):
        revision.save()
    with pytest.raises(AppendOnlyError):
        revision.delete()
    with pytest.raises(AppendOnlyError):
        CommentRevision.objects.update(text="Förfalskat")
    with pytest.raises(AppendOnlyError):
        CommentRevision.objects.all().delete()
    assert CommentRevision.objects.get().text == "Första"


def test_mentioned_addresses_parsed_lowercased_once_each():
    text = "Hej @Beredare.Ystad@demo.fonden.se och @a@b.se. Igen @beredare.ystad@demo.fonden.se, men inte x@y.se"

    assert mentioned_addresses(text) == ["beredare.ystad@demo.fonden.se", "a@b.se"]


def test_mention_notifies_user_with_link_and_email(new_case, django_capture_on_commit_callbacks):
    case, users = new_case("ystad")
    colleague = users["management"]

    with django_capture_on_commit_callbacks(execute=True):
        comment, report = post_comment(
            case, users["preparer"], text=f"Kan du titta, @{colleague.email}?", visibility=INTERNAL
        )

    assert (report.notified, report.not_notified) == ([colleague], [])
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.case, notification.url) == (
        colleague,
        NotificationKind.MENTIONED,
        case,
        f"/arenden/{case.pk}/#kommentar-{comment.pk}",
    )
    assert notification.text == f"{users['preparer']} nämnde dig i en kommentar i ärendet {case}."
    assert [message.to for message in mail.outbox] == [[colleague.email]]


def test_mention_of_applicant_on_internal_comment_does_not_notify(new_case, django_capture_on_commit_callbacks):
    case, users = new_case("ystad")

    with django_capture_on_commit_callbacks(execute=True):
        _, report = post_comment(
            case, users["preparer"], text=f"@{users['applicant'].email} ser inte", visibility=INTERNAL
        )

    assert (report.notified, report.not_notified) == ([], [users["applicant"].email])
    assert (Notification.objects.count(), len(mail.outbox)) == (0, 0)


def test_mention_of_applicant_on_shared_comment_notifies(new_case):
    case, users = new_case("ystad")

    _, report = post_comment(case, users["preparer"], text=f"@{users['applicant'].email} titta", visibility=SHARED)

    assert report.notified == [users["applicant"]]
    assert Notification.objects.get().recipient == users["applicant"]


def test_mention_of_user_in_another_municipality_or_unknown_does_not_notify(new_case, people):
    case, users = new_case("ystad")
    heby = people("heby")

    _, report = post_comment(
        case, users["preparer"], text=f"@{heby['preparer'].email} och @okand@ystad.se", visibility=INTERNAL
    )

    assert (report.notified, report.not_notified) == ([], [heby["preparer"].email, "okand@ystad.se"])
    assert Notification.objects.count() == 0


def test_edit_notifies_only_newly_mentioned_users(new_case):
    case, users = new_case("ystad")
    first, second = users["management"], users["controller"]
    comment, _ = post_comment(case, users["preparer"], text=f"@{first.email}", visibility=INTERNAL)

    _, report = edit_comment(case, comment.pk, users["preparer"], text=f"@{first.email} och @{second.email}")

    assert report.notified == [second]
    assert [n.recipient for n in Notification.objects.order_by("id")] == [first, second]


def test_comment_attachment_stored(new_case, media, pdf):
    case, users = new_case("ystad")

    comment, _ = post_comment(
        case, users["applicant"], text="Budget bifogad", visibility=SHARED, files=[pdf("budget.pdf")]
    )

    attachment = CommentAttachment.objects.get()
    assert (attachment.comment, attachment.original_name, attachment.size, attachment.content_type) == (
        comment,
        "budget.pdf",
        len(PDF),
        "application/pdf",
    )
    assert (media / attachment.file.name).read_bytes() == PDF


def test_comment_attachment_of_wrong_type_refused_and_nothing_stored(new_case, media):
    case, users = new_case("ystad")

    with pytest.raises(TransitionRefusedError) as refusal:
        post_comment(
            case,
            users["applicant"],
            text="Se bilaga",
            visibility=SHARED,
            files=[SimpleUploadedFile("virus.exe", b"MZ")],
        )

    assert str(refusal.value) == (
        "Bilagan virus.exe: Filtypen .exe tas inte emot. Tillåtna: PDF, Word (.doc, .docx) och Excel (.xls, .xlsx)."
    )
    assert (Comment.objects.count(), CommentAttachment.objects.count(), list(media.iterdir())) == (0, 0, [])
