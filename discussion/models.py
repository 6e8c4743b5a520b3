"""Comments on a case: threads of staff-only or shared remarks, with files, and an append-only
record of every earlier text a comment had."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Case
from audit.models import AppendOnlyError, AppendOnlyModel  # noqa: F401 - AppendOnlyError is part of this API
from core.models import Attachment

from .enums import Visibility
from .rules import sees_internal_comments


class CommentQuerySet(models.QuerySet):
    def readable_by(self, user):
        """The comments ``user`` may read, among those of cases they already reach. Someone who is
        only an applicant reads the shared ones."""
        if sees_internal_comments(user):
            return self
        return self.filter(visibility=Visibility.SHARED)


class Comment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("svar på"),
        help_text=_("Kommentaren som inleder tråden."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments", verbose_name=_("skribent")
    )
    visibility = models.CharField(_("synlighet"), max_length=10, choices=Visibility.choices)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("skriven"), auto_now_add=True)
    edited_at = models.DateTimeField(_("ändrad"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")

    def __str__(self):
        return f"{self.author}: {self.text[:60]}"

    @property
    def is_internal(self):
        return self.visibility == Visibility.INTERNAL

    @property
    def anchor(self):
        return f"kommentar-{self.pk}"


class CommentRevision(AppendOnlyModel):
    """The text a comment had before one edit. Append-only, like the audit log."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="revisions")
    text = models.TextField(_("tidigare text"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("ändrad av")
    )
    edited_at = models.DateTimeField(_("ändrad"))

    class Meta:
        ordering = ["edited_at", "id"]
        verbose_name = _("tidigare version")
        verbose_name_plural = _("tidigare versioner")

    def __str__(self):
        return f"{self.edited_at:%Y-%m-%d %H:%M} {self.text[:60]}"


def comment_attachment_path(instance, filename):
    case = instance.comment.case
    return f"comments/{case.municipality.slug}/{case.pk}/{filename}"


class CommentAttachment(Attachment):
    """A comment's attachment; who uploaded it and when is the comment's author and time."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        ordering = ["id"]
        verbose_name = _("bilaga till kommentar")
        verbose_name_plural = _("bilagor till kommentarer")

    def upload_path(self, filename):
        return comment_attachment_path(self, filename)
