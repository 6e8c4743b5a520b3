"""Recording decisions in tests as the deciding body would, and checking that a refused one
changed nothing."""

import pytest
from django.utils import timezone

from applications.models import Case
from audit.models import AuditEntry
from decisions.models import Decision
from decisions.services import DecisionRefusedError, record_decision
from funds.models import LedgerEntry


def decide(case, kind, user, *, meeting_date=None, paragraph=None, reason="Enligt beredningen.", **kwargs):
    """Record a decision of ``kind`` on ``case`` at a meeting today (or ``meeting_date``) under the
    next free § (or ``paragraph``); returns (case as it is now, decision)."""
    meeting_date = meeting_date or timezone.localdate()
    if paragraph is None:
        paragraph = Decision.objects.count() + 1
    decision = record_decision(
        user, cases=[case], kind=kind, meeting_date=meeting_date, paragraph=paragraph, reason=reason, **kwargs
    )
    return Case.objects.get(pk=case.pk), decision


def _snapshot(case):
    return (
        Case.objects.filter(pk=case.pk).values().get(),
        AuditEntry.objects.for_object(case).count(),
        Decision.objects.count(),
        LedgerEntry.objects.count(),
    )


def decision_refused(case, kind, user, **kwargs):
    """Record a decision that must be refused; return the refusal, having checked that nothing
    changed: not the case, its history, the decisions nor the ledger."""
    before = _snapshot(case)
    with pytest.raises(DecisionRefusedError) as refusal:
        decide(case, kind, user, **kwargs)
    assert _snapshot(case) == before
    return refusal.value
