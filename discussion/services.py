"""Writing comments. Each operation locks the case row, checks, changes and writes the case
history in one transaction; mention e-mails leave only after it commits (notifications.notify)."""

import os
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Case
from applications.services import TransitionRefusedError
from audit.services import record
from core.uploads import upload_problem
from notifications.models import NotificationKind
from notifications.services import notify

from .enums import Visibility
from .models import Comment, CommentAttachment, CommentRevision
from .rules import is_comment_author, sees_internal_comments

# "@" and an e-mail address, not preceded by a word character (so "a@b.se" alone is no mention).
MENTION = re.compile(r"(?<![\w.@])@([\w.%+-]+@(?:[\w-]+\.)+[A-Za-z]{2,})")


@dataclass
class MentionReport:
    notified: list = field(default_factory=list)  # users
    not_notified: list = field(default_factory=list)  # addresses, as written


def mentioned_addresses(text):
    """The distinct addresses mentioned in ``text``, lowercased, in order of first mention."""
    return list(dict.fromkeys(address.lower() for address in MENTION.findall(text)))


def comment_threads(case, user):
    """The comments of ``case`` that ``user`` may read, as top-level comments each carrying
    ``thread_replies``, in three queries whatever their number. The caller has reached the case
    through Case.objects.visible_to."""
    comments = list(
        Comment.objects.filter(case=case)
        .readable_by(user)
        .select_related("author")
        .prefetch_related(
            "attachments",
            Prefetch("revisions", queryset=CommentRevision.objects.select_related("edited_by")),
        )
    )
    by_id = {comment.pk: comment for comment in comments}
    threads = []
    for comment in comments:
        comment.thread_replies = []
        comment.may_edit = is_comment_author(user, comment)
    for comment in comments:
        if comment.parent_id is None:
            threads.append(comment)
        elif comment.parent_id in by_id:
            by_id[comment.parent_id].thread_replies.append(comment)
    return threads


def _lock_case(case, user):
    """The locked case row, if ``user`` reaches it; otherwise refused with the reason."""
    # visible_to may use DISTINCT, which PostgreSQL does not lock: check first, then lock.
    if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
        raise TransitionRefusedError(_("Du kan bara kommentera ärenden som du har tillgång till i din kommun."))
    return Case.objects.select_for_update().get(pk=case.pk)


def _check_uploads(files):
    for upload in files:
        problem = upload_problem(upload)
        if problem:
            raise TransitionRefusedError(
                _("Bilagan %(name)s: %(problem)s") % {"name": os.path.basename(upload.name), "problem": problem}
            )


@transaction.atomic
def post_comment(case, user, *, text, visibility, parent_id=None, files=()):
    """Post a comment (a reply when ``parent_id`` is given) on ``case`` as ``user``.

    Refused (TransitionRefusedError, nothing stored) if the user does not reach the case, the text
    is empty, an applicant asks for an internal comment, the comment replied to is not theirs to
    read, or an attachment is refused. A reply to an internal comment is internal; a reply joins
    the thread of the comment it answers. Side effects: stores the attachments, writes
    "comment.posted" to the case history, notifies the mentioned users who may read the comment.
    Returns (comment, MentionReport).
    """
    case = _lock_case(case, user)
    if not text.strip():
        raise TransitionRefusedError(_("Skriv en text i kommentaren."))
    if visibility not in Visibility.values:
        raise TransitionRefusedError(_("Välj vilka som får läsa kommentaren."))
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(case=case).readable_by(user).filter(pk=parent_id).first()
        if parent is None:
            raise TransitionRefusedError(_("Kommentaren du svarar på finns inte i ärendet."))
        if parent.is_internal:
            visibility = Visibility.INTERNAL
        if parent.parent_id is not None:
            parent = Comment.objects.get(pk=parent.parent_id)  # one level of replies: join the thread
    if visibility == Visibility.INTERNAL and not sees_internal_comments(user):
        raise TransitionRefusedError(
            _("Som sökande kan du bara skriva kommentarer som delas med sökande, inte interna kommentarer.")
        )
    _check_uploads(files)
    comment = Comment.objects.create(case=case, parent=parent, author=user, visibility=visibility, text=text)
    comment.case = case
    for upload in files:
        CommentAttachment.create_from_upload(upload, comment=comment)
    record(
        case,
        "comment.posted",
        actor=user,
        data={
            "comment": comment.pk,
            "visibility": visibility,
            "reply_to": parent.pk if parent else None,
            "files": [os.path.basename(upload.name) for upload in files],
        },
    )
    report = _notify_mentions(comment, user, mentioned_addresses(text))
    return comment, report


@transaction.atomic
def edit_comment(case, comment_id, user, *, text):
    """Replace the text of the user's own comment on ``case``, keeping the earlier text as a
    CommentRevision. Refused if the comment is not the user's, or the text is empty or unchanged.
    Side effects: writes "comment.edited" to the case history and notifies users mentioned for
    the first time in the new text. Returns (comment, MentionReport)."""
    case = _lock_case(case, user)
    comment = Comment.objects.select_for_update().filter(case=case).readable_by(user).filter(pk=comment_id).first()
    if comment is None:
        raise TransitionRefusedError(_("Kommentaren finns inte i ärendet."))
    if not is_comment_author(user, comment):
        raise TransitionRefusedError(_("Bara den som skrev kommentaren kan ändra den."))
    if not text.strip():
        raise TransitionRefusedError(_("Skriv en text i kommentaren."))
    if text == comment.text:
        raise TransitionRefusedError(_("Texten är oförändrad."))
    now = timezone.now()
    CommentRevision.objects.create(comment=comment, text=comment.text, edited_by=user, edited_at=now)
    already_mentioned = set(mentioned_addresses(comment.text))
    comment.text = text
    comment.edited_at = now
    comment.save(update_fields=["text", "edited_at"])
    comment.case = case
    record(case, "comment.edited", actor=user, data={"comment": comment.pk})
    new_mentions = [address for address in mentioned_addresses(text) if address not in already_mentioned]
    return comment, _notify_mentions(comment, user, new_mentions)


def _may_read(recipient, comment):
    if not recipient.is_active or not Case.objects.visible_to(recipient).filter(pk=comment.case_id).exists():
        return False
    return not comment.is_internal or sees_internal_comments(recipient)


def _notify_mentions(comment, author, addresses):
    """Notify each mentioned member of the case's municipality who may read the comment. Unknown
    addresses, members of other municipalities and people who may not read it are reported, not
    notified (and not told apart, so no one learns who exists elsewhere)."""
    report = MentionReport()
    if not addresses:
        return report
    case = comment.case
    users = {
        user.email.lower(): user
        for user in get_user_model().objects.filter(municipality_id=case.municipality_id, email__in=addresses)
    }
    url = reverse("applications:detail", args=[case.pk]) + f"#{comment.anchor}"
    for address in addresses:
        recipient = users.get(address)
        if recipient is not None and recipient.pk == author.pk:
            continue
        if recipient is None or not _may_read(recipient, comment):
            report.not_notified.append(address)
            continue
        text = _("%(author)s nämnde dig i en kommentar i ärendet %(case)s.") % {"author": author, "case": case}
        notify(recipient, NotificationKind.MENTIONED, text[:500], case=case, url=url)
        report.notified.append(recipient)
    return report
