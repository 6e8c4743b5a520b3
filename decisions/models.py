"""Decisions of the decision body, recorded against cases, and the documents issued from them."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.models import AppendOnlyModel
from core.filenames import file_name
from core.models import BackgroundJob


class DecisionKind(models.TextChoices):
    GRANT = "grant", pgettext_lazy("decision", "bevilja")
    GRANT_LOWER = "grant_lower", pgettext_lazy("decision", "bevilja med lägre belopp")
    REJECT = "reject", pgettext_lazy("decision", "avslå")
    ABORT = "abort", pgettext_lazy("decision", "avbryta")
    CONTINUE = "continue", pgettext_lazy("decision", "inte avbryta, projektet fortsätter")
    EXTEND = "extend", pgettext_lazy("decision", "förlänga")
    DESIGN_CHANGE = "design_change", pgettext_lazy("decision", "ändra upplägget")
    IMPLEMENT = "implement", pgettext_lazy("decision", "implementera")
    IMPLEMENT_PARTLY = "implement_partly", pgettext_lazy("decision", "implementera delvis")
    NOT_IMPLEMENT = "not_implement", pgettext_lazy("decision", "inte implementera")


GRANTING_KINDS = [DecisionKind.GRANT, DecisionKind.GRANT_LOWER]
# Decisions on a granted project while it runs and at its end.
LIFECYCLE_KINDS = [
    DecisionKind.ABORT,
    DecisionKind.CONTINUE,
    DecisionKind.EXTEND,
    DecisionKind.DESIGN_CHANGE,
    DecisionKind.IMPLEMENT,
    DecisionKind.IMPLEMENT_PARTLY,
    DecisionKind.NOT_IMPLEMENT,
]


def paragraph_label(number):
    return f"§ {number}"


class Decision(models.Model):
    """One decision (a paragraph, §, of the body's minutes). Heby's kommunstyrelse may decide
    several projects as a whole: then one decision covers several cases."""

    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT, related_name="decisions")
    body = models.CharField(_("beslutande organ"), max_length=200)
    meeting_date = models.DateField(_("sammanträdesdag"))
    paragraph = models.PositiveIntegerField(_("paragraf"))
    kind = models.CharField(_("beslut"), max_length=20, choices=DecisionKind.choices)
    conditions = models.TextField(_("villkor"), blank=True)
    reason = models.TextField(_("motivering"))
    referral = models.TextField(_("hänvisning till annan finansiering"), blank=True)
    new_end = models.DateField(_("nytt slutdatum"), null=True, blank=True)
    change = models.TextField(_("ändring av upplägget"), blank=True)
    # The minutes' signatories as the extract prints them (protokollsutdrag): who kept the minutes
    # and who checked them (justerare), and the day the minutes were checked (justerade).
    secretary = models.CharField(
        _("sekreterare"), max_length=200, blank=True, help_text=_("Den som förde protokollet (vid protokollet).")
    )
    adjusters = models.CharField(
        _("justerare"),
        max_length=300,
        blank=True,
        help_text=_("Den eller de som justerar protokollet, namnen åtskilda med kommatecken."),
    )
    adjusted_on = models.DateField(_("justeringsdag"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-meeting_date", "paragraph"]
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "body", "meeting_date", "paragraph"], name="one_paragraph_per_meeting"
            )
        ]

    def __str__(self):
        return f"{self.body} {self.meeting_date:%Y-%m-%d} {self.paragraph_label}"

    @property
    def paragraph_label(self):
        """The paragraph as the minutes print it, the sign once: "§ 212"."""
        return paragraph_label(self.paragraph)

    @property
    def adjuster_names(self):
        """The justerare one by one, as the extract prints a signature line for each."""
        return [name.strip() for name in self.adjusters.split(",") if name.strip()]


class DecisionLineQuerySet(models.QuerySet):
    def grants(self):
        """Lines of granting decisions, the latest first: a later grant (e.g. after an extension)
        replaces an earlier one."""
        return self.filter(decision__kind__in=GRANTING_KINDS).order_by("-decision__meeting_date", "-id")


class DecisionLine(models.Model):
    """What the decision says about one case: the total granted (if any)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="lines")
    case = models.ForeignKey("applications.Case", on_delete=models.PROTECT, related_name="decision_lines")
    total_amount = models.DecimalField(_("totalt belopp (kr)"), max_digits=14, decimal_places=2, null=True, blank=True)

    objects = DecisionLineQuerySet.as_manager()

    class Meta:
        ordering = ["decision", "id"]
        constraints = [models.UniqueConstraint(fields=["decision", "case"], name="one_line_per_case")]

    def __str__(self):
        return f"{self.decision}: {self.case}"


class DecisionYear(models.Model):
    """The preliminary split of a grant per year; the years add up to the line's total."""

    line = models.ForeignKey(DecisionLine, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("belopp (kr)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["line", "year"]
        constraints = [models.UniqueConstraint(fields=["line", "year"], name="one_amount_per_line_year")]

    def __str__(self):
        return f"{self.year}: {self.amount}"


class Proposal(AppendOnlyModel):
    """The preparation's proposal to the decision body on a case (förslag till beslut), as its
    tjänsteskrivelse states it. Written when the decision basis is issued; never changed: a new
    wording is a new row, and the latest is the one the next tjänsteskrivelse prints."""

    case = models.ForeignKey("applications.Case", on_delete=models.PROTECT, related_name="decision_proposals")
    text = models.TextField(_("förslag till beslut"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "-written_at", "-id"]
        verbose_name = _("förslag till beslut")
        verbose_name_plural = _("förslag till beslut")

    def __str__(self):
        return f"{self.case}: {self.text[:60]}"


class DocumentKind(models.TextChoices):
    DECISION_BASIS = "decision_basis", _("beslutsunderlag")
    DECISION = "decision", _("protokollsutdrag")
    LETTER = "letter", _("beslutsbrev till sökande")
    APPLICATION = "application", _("ansökan som inlämnad")
    AGENDA = "agenda", _("föredragningslista")
    ROUND_BASIS = "round_basis", _("tjänsteskrivelse för beslutstillfället")


# The Swedish word a document's file name begins with (ASCII: the name is folded anyway).
FILE_STEMS = {
    DocumentKind.DECISION_BASIS: "tjansteskrivelse",
    DocumentKind.DECISION: "protokollsutdrag",
    DocumentKind.LETTER: "beslutsbrev",
    DocumentKind.APPLICATION: "ansokan",
    DocumentKind.AGENDA: "foredragningslista",
    DocumentKind.ROUND_BASIS: "tjansteskrivelse",
}


class IssuedDocument(AppendOnlyModel):
    """A rendered PDF as issued: stored once with its SHA-256 and never rendered again. A
    correction is a new document that names the one it replaces."""

    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "applications.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    kind = models.CharField(_("handling"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("rubrik"), max_length=300)
    content = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    replaces = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by", verbose_name=_("ersätter")
    )
    # The meeting a document belongs to when no case names it (an agenda, a meeting's
    # tjänsteskrivelse): its file name carries the meeting's date.
    meeting_date = models.DateField(_("sammanträdesdag"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("upprättad handling")
        verbose_name_plural = _("upprättade handlingar")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self._state.adding:
            self.sha256 = hashlib.sha256(bytes(self.content)).hexdigest()
        super().save(*args, **kwargs)  # refuses any change once issued

    @property
    def filename(self):
        """A Swedish name with the diarienummer: "tjansteskrivelse-KS-2026-0042.pdf"; a decision on
        several cases by its meeting and §, a meeting's document by the municipality and the
        meeting's date. A correction says so."""
        stem = FILE_STEMS[self.kind]
        correction = "rattelse" if self.replaces_id else ""
        if self.case_id:
            return file_name(stem, self.case.number or f"arende {self.case_id}", correction, extension="pdf")
        if self.decision_id:
            decision = self.decision
            return file_name(
                stem, decision.meeting_date.isoformat(), f"paragraf {decision.paragraph}", correction, extension="pdf"
            )
        day = self.meeting_date or timezone.localdate(self.issued_at)
        return file_name(stem, self.municipality.slug, day.isoformat(), correction, extension="pdf")


class MeetingDocumentsJob(BackgroundJob):
    """Rendering a decision meeting's agenda and decision bases off the request, with progress."""

    municipality = models.ForeignKey("municipalities.Municipality", on_delete=models.CASCADE, related_name="+")
    meeting_date = models.DateField(_("sammanträdesdag"))
    meeting_time = models.TimeField(_("klockslag"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200, blank=True)
    case_ids = models.JSONField(default=list)
    documents = models.ManyToManyField(IssuedDocument, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.meeting_date}: {self.done}/{self.total}"


class LetterDispatch(models.Model):
    """The decision letter sent (expedierat) to one person, by e-mail with its PDF attached: the
    applicant or the head of a participating unit. Sent in a task once the decision's documents
    have committed; a failure is kept here, shown on the case and tried again (``decisions.letters``)."""

    letter = models.ForeignKey(
        IssuedDocument, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("beslutsbrev")
    )
    case = models.ForeignKey("applications.Case", on_delete=models.PROTECT, related_name="letter_dispatches")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("mottagare")
    )
    # As addressed when sent: the record of whom it went to stays when a person's details change.
    recipient_name = models.CharField(_("mottagarens namn"), max_length=200)
    email = models.EmailField(_("e-postadress"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("expedierat av")
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    last_error = models.CharField(_("senaste fel"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("utskick av beslutsbrev")
        verbose_name_plural = _("utskick av beslutsbrev")
        constraints = [
            models.UniqueConstraint(fields=["letter", "recipient"], name="one_dispatch_per_letter_and_person")
        ]

    def __str__(self):
        return f"{self.letter}: {self.recipient_name} <{self.email}>"

    @property
    def failed(self):
        """Tried and not sent: shown on the case while it is tried again."""
        return self.sent_at is None and self.attempts > 0
