"""The one PDF renderer: a template and its context to PDF/A-3b bytes, tagged for screen readers,
with DejaVu fonts embedded. Every document (decisions, calculations, the annual report) is rendered
here, from templates that extend ``documents/base.html`` (the municipality's header, the case
number, the date and "sida X av Y")."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML, Attachment

# Relative URLs in a document (an image, a font) are read from the static files of the checkout.
STATIC_BASE_URL = f"{settings.BASE_DIR / 'static'}/"


class RenderError(Exception):
    """The document could not be rendered; the message says why (WeasyPrint's own words)."""


@dataclass(frozen=True)
class EmbeddedFile:
    """A file carried inside the PDF (PDF/A-3 allows it), e.g. an issued document as a bilaga."""

    content: bytes
    name: str
    description: str


def render_pdf(template_name, context, *, attachments=(), base_url=STATIC_BASE_URL):
    """PDF bytes of ``template_name`` rendered with ``context`` (plus ``today``, unless given).
    Always Swedish: documents are the municipality's records. Raises RenderError."""
    with translation.override("sv"):
        html = render_to_string(template_name, {"today": timezone.localdate(), **context})
    embedded = [
        Attachment(string=file.content, name=file.name, description=file.description, relationship="Supplement")
        for file in attachments
    ]
    try:
        return HTML(string=html, base_url=base_url).write_pdf(
            pdf_variant="pdf/a-3b", pdf_tags=True, attachments=embedded
        )
    except Exception as error:
        raise RenderError(str(error)) from error
