"""Documents rendered with WeasyPrint from one base template: the municipality's header, the
case number, the date and 'sida X av Y'. Issued as PDF/A-3b, tagged, with DejaVu fonts embedded,
stored once with a SHA-256 fingerprint and never rendered again."""

from django.db import transaction

from audit.services import record
from core import pdf
from core.pdf import EmbeddedFile

from .models import DocumentKind, IssuedDocument

TEMPLATES = {
    DocumentKind.DECISION_BASIS: "documents/decision_basis.html",
    DocumentKind.DECISION: "documents/decision.html",
    DocumentKind.LETTER: "documents/letter.html",
    DocumentKind.APPLICATION: "documents/application.html",
    DocumentKind.AGENDA: "documents/agenda.html",
    DocumentKind.ROUND_BASIS: "documents/round_basis.html",
}


def render_pdf(kind, context, attachments=None):
    """PDF bytes for a document kind (raises core.pdf.RenderError). ``attachments`` are issued
    documents embedded as files: the bilagor."""
    embedded = [
        EmbeddedFile(content=bytes(document.content), name=document.filename, description=document.title)
        for document in attachments or []
    ]
    return pdf.render_pdf(TEMPLATES[kind], {**context, "kind": kind}, attachments=embedded)


@transaction.atomic
def issue(
    kind,
    *,
    user,
    title,
    context,
    municipality,
    case=None,
    decision=None,
    replaces=None,
    attachments=None,
    meeting_date=None,
):
    """Render and store one document; returns the IssuedDocument. A rendering failure raises
    core.pdf.RenderError and stores nothing."""
    if replaces is not None:
        title = f"Rättelse: {title}"
    content = render_pdf(
        kind,
        {
            **context,
            "municipality": municipality,
            "case": case,
            "decision": decision,
            "title": title,
            "replaces": replaces,
            "attachments": attachments or [],
        },
        attachments=attachments,
    )
    document = IssuedDocument.objects.create(
        municipality=municipality,
        case=case,
        decision=decision,
        kind=kind,
        title=title,
        content=content,
        replaces=replaces,
        meeting_date=meeting_date or (decision.meeting_date if decision else None),
        issued_by=user,
    )
    if case is not None:
        record(case, "document.issued", actor=user, data={"title": title, "sha256": document.sha256, "kind": kind})
    return document
