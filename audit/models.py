"""The append-only record of every change of state: who, when, from, to, why."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .labels import action_label, state_label


class AppendOnlyError(RuntimeError):
    """A record that is only ever added to was asked to change or disappear."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are never changed; add a new record.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} are never deleted.")


class AppendOnlyModel(models.Model):
    """The one way records are kept append-only here (history, issued documents, earlier comment
    texts, priority proposals): rows are added, never changed or deleted; a correction is a new row."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name_plural} are never changed; add a new record.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name_plural} are never deleted.")


class AuditEntryQuerySet(AppendOnlyQuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj.__class__), object_id=str(obj.pk)
        ).select_related("actor")


class AuditEntry(AppendOnlyModel):
    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("händelse"), max_length=60)
    from_state = models.CharField(_("från"), max_length=40, blank=True)
    to_state = models.CharField(_("till"), max_length=40, blank=True)
    reason = models.TextField(_("motivering"), blank=True)
    data = models.JSONField(_("detaljer"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("av"),
    )
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("historikpost")
        verbose_name_plural = _("historik")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def description(self):
        return action_label(self.action)

    @property
    def from_label(self):
        return state_label(self.from_state) if self.from_state else ""

    @property
    def to_label(self):
        return state_label(self.to_state) if self.to_state else ""
