"""The calculation as a PDF, rendered by WeasyPrint from the documents' common base template
(the municipality's header, the case number, 'sida X av Y'), PDF/A-3b and tagged."""

from django.utils import translation

from core.pdf import render_pdf

from . import presentation
from .enums import CalculationKind


def render_calculation_pdf(case, snapshot, payers):
    """PDF bytes of a saved calculation (raises core.pdf.RenderError). Always Swedish, like the
    municipality's other records: the labels in the context are made Swedish too."""
    with translation.override("sv"):
        context = {
            **presentation.calculation_context(snapshot, payers),
            "case": case,
            "snapshot": snapshot,
            "municipality": case.municipality,
            "kind_label": CalculationKind(snapshot.kind).label,
            "document_label": "Samhällsekonomisk kalkyl",
            "title": f"{CalculationKind(snapshot.kind).label.capitalize()} {case.number or case.title}",
        }
        return render_pdf("evaluation/calculation_pdf.html", context)
