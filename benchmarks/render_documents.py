"""Benchmark: median time to render a decision document and a 20-case agenda with WeasyPrint.

Runs against a throwaway in-memory database: python benchmarks/render_documents.py
"""

import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from decisions.documents import render_pdf  # noqa: E402
from decisions.models import DocumentKind  # noqa: E402


def median_seconds(function, runs):
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main():
    call_command("migrate", verbosity=0)
    call_command("load_rulesets", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from municipalities.models import Municipality

    municipality = Municipality.objects.get(slug="ystad")

    class Line:
        total_amount = Decimal("1500000.00")

        class years:  # noqa: N801 - stands in for a related manager in the template
            @staticmethod
            def all():
                return [type("Year", (), {"year": 2027 + i, "amount": Decimal("500000.00")}) for i in range(3)]

    class Case:
        number = "KS 2026/0042"
        title = "Närvaroteam i Ystad"
        applicant_unit = type("Unit", (), {"name": "Elevhälsan"})

    class Decision:
        body = "Kommunstyrelsen"
        meeting_date = datetime.date(2026, 12, 3)
        paragraph = 187
        paragraph_label = "§ 187"
        conditions = "Projektet rapporterar två gånger per år enligt mall."
        reason = "Insatsen motsvarar ett identifierat behov och uppfyller riktlinjens kriterier."
        referral = ""

    line = Line()
    line.case = Case
    decision_context = {
        "municipality": municipality,
        "case": Case,
        "decision": Decision,
        "lines": [line],
        "line": line,
        "decision_text": "Kommunstyrelsen beviljar ansökan ur den sociala investeringsfonden.",
        "guideline_title": "Sociala investeringar – Riktlinje",
        "ruleset_number": 1,
        "document_label": "Protokollsutdrag",
        "title": "Protokollsutdrag",
    }
    agenda_context = {
        "municipality": municipality,
        "case": None,
        "rows": [
            {
                "case": type(
                    "C",
                    (),
                    {"number": f"KS 2026/{i:04d}", "title": f"Insats {i}", "applicant_unit": Case.applicant_unit},
                ),
                "asked": Decimal("1500000"),
            }
            for i in range(1, 21)
        ],
        "meeting_date": datetime.date(2026, 12, 3),
        "body": "Kommunstyrelsen",
        "document_label": "Föredragningslista",
        "title": "Föredragningslista",
    }
    render_pdf(DocumentKind.DECISION, decision_context)  # warm-up: fonts and templates load once
    decision = median_seconds(lambda: render_pdf(DocumentKind.DECISION, decision_context), 15)
    agenda = median_seconds(lambda: render_pdf(DocumentKind.AGENDA, agenda_context), 10)
    print(f"decision document (PDF/A-3b, tagged): median {decision * 1000:.0f} ms over 15 renders")
    print(f"20-case agenda (PDF/A-3b, tagged):    median {agenda * 1000:.0f} ms over 10 renders")


if __name__ == "__main__":
    main()
