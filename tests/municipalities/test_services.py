import copy

import pytest

from audit.models import AppendOnlyError, AuditEntry
from municipalities import services
from municipalities.enums import RuleSetStatus
from municipalities.models import Municipality, RuleSetVersion
from municipalities.rulebook.validation import RuleSetInvalidError
from tests.conftest import SLUGS, shipped_document

pytestmark = pytest.mark.django_db


def test_loading_shipped_rulesets_puts_five_in_force():
    services.load_shipped_rulesets()
    active = RuleSetVersion.objects.filter(status=RuleSetStatus.ACTIVE)
    assert sorted(active.values_list("municipality__slug", flat=True)) == sorted(SLUGS)


def test_loading_shipped_rulesets_twice_creates_nothing_new():
    services.load_shipped_rulesets()
    results = services.load_shipped_rulesets()
    assert [created for _version, created in results] == [False] * 5
    assert RuleSetVersion.objects.count() == 5
    assert AuditEntry.objects.filter(action="ruleset.created").count() == 5


def test_importing_a_changed_document_adds_a_draft_and_keeps_the_active(rulesets):
    document = shipped_document("ale")
    document["application"]["duration_months"]["max"] = 48
    version, created = services.import_ruleset(document, note="Längre projekt")
    assert (created, version.number, version.status) == (True, 2, RuleSetStatus.DRAFT)
    assert Municipality.objects.get(slug="ale").active_ruleset.number == 1


def test_activating_a_draft_retires_the_previous_and_records_both(rulesets, ystad_admin):
    active = Municipality.objects.get(slug="ystad").active_ruleset
    draft = services.create_draft(active, user=ystad_admin, note="Ny beslutsomgång")
    services.activate_version(draft, user=ystad_admin, reason="KS beslut 2026-11-20")
    active.refresh_from_db()
    draft.refresh_from_db()
    assert (active.status, draft.status) == (RuleSetStatus.RETIRED, RuleSetStatus.ACTIVE)
    retired = AuditEntry.objects.for_object(active).get(action="ruleset.retired")
    activated = AuditEntry.objects.for_object(draft).get(action="ruleset.activated")
    assert (retired.from_state, retired.to_state, retired.actor) == ("active", "retired", ystad_admin)
    assert (activated.from_state, activated.to_state, activated.reason) == ("draft", "active", "KS beslut 2026-11-20")


def test_active_version_cannot_be_edited(rulesets):
    active = Municipality.objects.get(slug="heby").active_ruleset
    changed = copy.deepcopy(active.document)
    changed["target_group"]["description"] = "Alla"
    with pytest.raises(services.RuleSetLockedError):
        services.update_draft(active, changed)
    active.refresh_from_db()
    assert active.document == shipped_document("heby")


def test_invalid_edit_of_draft_changes_nothing(rulesets):
    draft = services.create_draft(Municipality.objects.get(slug="heby").active_ruleset)
    broken = copy.deepcopy(draft.document)
    broken["reporting"]["reminder_days_before"] = -3
    with pytest.raises(RuleSetInvalidError) as error:
        services.update_draft(draft, broken)
    assert [problem.path for problem in error.value.problems] == ["reporting.reminder_days_before"]
    draft.refresh_from_db()
    assert draft.document == shipped_document("heby")
    assert not AuditEntry.objects.filter(action="ruleset.edited").exists()


def test_draft_cannot_be_given_another_municipalitys_slug(rulesets):
    draft = services.create_draft(Municipality.objects.get(slug="heby").active_ruleset)
    with pytest.raises(RuleSetInvalidError) as error:
        services.update_draft(draft, shipped_document("ale"))
    assert str(error.value) == "municipality.slug: ska vara heby"


def test_sixth_municipality_is_added_by_import_alone(rulesets):
    document = shipped_document("ystad")
    document["municipality"] = {"slug": "region-test", "name": "Region Test"}
    version, created = services.import_ruleset(document, activate=True)
    assert created
    assert Municipality.objects.get(slug="region-test").active_ruleset == version


def test_export_returns_the_active_document(rulesets):
    import json

    text = services.export_ruleset(Municipality.objects.get(slug="sundsvall"))
    assert json.loads(text) == shipped_document("sundsvall")


def test_diff_lists_leaf_changes_by_key():
    old = shipped_document("ystad")
    new = copy.deepcopy(old)
    new["application"]["duration_months"]["max"] = 36
    new["application"]["sections"].reverse()  # reordering is not a change
    new["calendar"]["decision_rounds"].pop()
    changes = services.diff_documents(old, new)
    assert [(c.path, c.kind, c.old, c.new) for c in changes if c.path.startswith("application")] == [
        ("application.duration_months.max", "changed", 48, 36)
    ]
    assert {c.kind for c in changes if c.path.startswith("calendar.decision_rounds")} == {"removed"}


def test_audit_entries_are_append_only(rulesets):
    entry = AuditEntry.objects.first()
    entry.reason = "ändrad i efterhand"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(reason="x")
