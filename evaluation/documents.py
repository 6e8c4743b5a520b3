"""The calculation as a PDF, rendered by WeasyPrint from the documents' common base template
(the municipality's header, the case number, 'sida X av Y'), PDF/A-3b and tagged."""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from . import presentation
from .enums import CalculationKind


class RenderError(Exception):
    """The PDF could not be rendered."""


def render_calculation_pdf(case, snapshot, payers):
    """PDF bytes of a saved calculation. Always Swedish, like the municipality's other records."""
    with translation.override("sv"):
        context = {
            **presentation.calculation_context(snapshot, payers),
            "case": case,
            "snapshot": snapshot,
            "municipality": case.municipality,
            "kind_label": CalculationKind(snapshot.kind).label,
            "document_label": "Samhällsekonomisk kalkyl",
            "title": f"{CalculationKind(snapshot.kind).label.capitalize()} {case.number or case.title}",
            "today": timezone.localdate(),
        }
        html = render_to_string("evaluation/calculation_pdf.html", context)
    try:
        return HTML(string=html).write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True)
    except Exception as error:
        raise RenderError(str(error)) from error
