from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import ActorKind, RuleSetStatus, UnitKind
from .rulebook import rulebook_of
from .rulebook.validation import document_fingerprint


class MunicipalityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place that decides which tenants a user may see: their own, or all for a
        system admin."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(pk=user.municipality_id)


class Municipality(models.Model):
    """A municipality (or a region) that runs a social investment fund: the tenant."""

    slug = models.SlugField(_("kortnamn"), max_length=40, unique=True)
    name = models.CharField(_("namn"), max_length=200)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self):
        return self.name

    @property
    def active_ruleset(self):
        return self.ruleset_versions.filter(status=RuleSetStatus.ACTIVE).first()


class OrganisationalUnit(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("tillhör")
    )
    # The person who signs for the unit (förvaltningschef, sektorschef, kontorschef: the rule set
    # names the title), designated by the municipality's admin, and the deputies who may sign in
    # the head's place. Only they sign for the unit.
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_units",
        verbose_name=_("chef"),
    )
    deputies = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="deputy_for_units", verbose_name=_("ersättare")
    )

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("organisatorisk enhet")
        verbose_name_plural = _("organisatoriska enheter")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unique_unit_name_per_municipality")
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.municipality_id != self.municipality_id:
            raise ValidationError({"parent": _("Enheten måste tillhöra samma kommun.")})
        if self.head_id and self.head.municipality_id != self.municipality_id:
            raise ValidationError({"head": _("Chefen måste vara anställd i samma kommun som enheten.")})

    def may_sign(self, user):
        """Whether ``user`` is the unit's designated head or one of its named deputies."""
        return user.is_authenticated and (user.pk == self.head_id or self.deputies.filter(pk=user.pk).exists())


class ExternalActor(models.Model):
    """An organisation outside the municipality that may take part in an effort."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="external_actors")
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=ActorKind.choices)
    organisation_number = models.CharField(_("organisationsnummer"), max_length=20, blank=True)

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("extern aktör")
        verbose_name_plural = _("externa aktörer")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unique_actor_name_per_municipality")
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class RuleSetVersion(models.Model):
    """One version of a municipality's rules. Drafts may be edited; an active or retired version
    is frozen, so cases keep the rules they were submitted under. Change one by a new draft."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="ruleset_versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=RuleSetStatus.choices, default=RuleSetStatus.DRAFT)
    effective_from = models.DateField(_("gäller från"), null=True, blank=True)
    document = models.JSONField(_("regelverk"))
    fingerprint = models.CharField(_("fingeravtryck (SHA-256)"), max_length=64, editable=False)
    note = models.CharField(_("ändringsnotering"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["municipality", "-number"]
        verbose_name = _("regelverksversion")
        verbose_name_plural = _("regelverksversioner")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="unique_ruleset_number"),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(status="active"),
                name="one_active_ruleset_per_municipality",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} v{self.number} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        self.fingerprint = document_fingerprint(self.document)
        super().save(*args, **kwargs)

    @property
    def rules(self):
        """The version's rule book: its document read into typed sections, built once per version."""
        return rulebook_of(self)

    @property
    def is_editable(self):
        return self.status == RuleSetStatus.DRAFT and not self.is_in_use

    @property
    def is_in_use(self):
        """Whether a case uses this version (cases are pinned to the version in force when they are
        submitted; then the version can only be superseded)."""
        return any(
            related.related_model.objects.filter(**{related.field.name: self}).exists()
            for related in self._meta.related_objects
            if getattr(related.related_model, "pins_ruleset_version", False)
        )
