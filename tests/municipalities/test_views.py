import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import Role
from audit.models import AuditEntry
from municipalities import services
from municipalities.enums import RuleSetStatus
from municipalities.models import Municipality
from tests.conftest import SLUGS, shipped_document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", SLUGS)
def test_ruleset_page_shows_the_rules_in_swedish(client, member, slug):
    client.force_login(member(slug, Role.APPLICANT))
    document = shipped_document(slug)
    response = client.get(reverse("municipalities:ruleset", args=[slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vad ansökan ska innehålla" in html
    assert document["bodies"]["preparer"]["name"] in html
    for section in document["application"]["sections"]:
        assert section["title"] in html
    # Stages a rule set does not use are not shown.
    assert ("1. Idéprövning" in html) == document["stages"]["idea"]["enabled"]


def test_ruleset_page_shows_fund_size_in_swedish_format(client, member):
    client.force_login(member("norrkoping", Role.CONTROLLER))
    html = client.get(reverse("municipalities:ruleset", args=["norrkoping"])).content.decode()
    assert "40\xa0000\xa0000\xa0kr" in html


def test_another_municipalitys_ruleset_is_not_found(client, member):
    client.force_login(member("heby", Role.MUNICIPAL_ADMIN))
    assert client.get(reverse("municipalities:ruleset", args=["ystad"])).status_code == 404
    assert client.get(reverse("municipalities:versions", args=["ystad"])).status_code == 404
    assert client.get(reverse("municipalities:export", args=["ystad", 1])).status_code == 404
    assert client.post(reverse("municipalities:new_draft", args=["ystad", 1])).status_code == 404


def test_anonymous_user_is_sent_to_login(client, rulesets):
    response = client.get(reverse("municipalities:ruleset", args=["ystad"]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.PREPARER, Role.DECISION_BODY, Role.CONTROLLER])
def test_only_municipal_admin_manages_versions(client, member, role):
    client.force_login(member("ystad", role))
    assert client.get(reverse("municipalities:versions", args=["ystad"])).status_code == 403
    assert client.post(reverse("municipalities:new_draft", args=["ystad", 1])).status_code == 403
    assert Municipality.objects.get(slug="ystad").ruleset_versions.count() == 1


def test_admin_edits_draft_with_error_named_and_nothing_saved(client, ystad_admin):
    client.force_login(ystad_admin)
    client.post(reverse("municipalities:new_draft", args=["ystad", 1]))
    document = shipped_document("ystad")
    document["target_group"]["max_age"] = "tjugofem"
    response = client.post(
        reverse("municipalities:edit", args=["ystad", 2]),
        {"document": json.dumps(document, ensure_ascii=False), "note": "Ändra ålder"},
    )
    assert response.status_code == 200
    assert "target_group.max_age: fel typ: ska vara ett heltal" in response.content.decode()
    draft = Municipality.objects.get(slug="ystad").ruleset_versions.get(number=2)
    assert draft.document == shipped_document("ystad")


def test_admin_edits_activates_and_compares(client, ystad_admin):
    client.force_login(ystad_admin)
    client.post(reverse("municipalities:new_draft", args=["ystad", 1]))
    document = shipped_document("ystad")
    document["target_group"]["max_age"] = 29
    response = client.post(
        reverse("municipalities:edit", args=["ystad", 2]),
        {"document": json.dumps(document, ensure_ascii=False), "note": "Ålder upp till 29"},
    )
    assert response.status_code == 302
    client.post(reverse("municipalities:activate", args=["ystad", 2]))
    ystad = Municipality.objects.get(slug="ystad")
    assert ystad.active_ruleset.number == 2
    assert ystad.active_ruleset.document["target_group"]["max_age"] == 29
    html = client.get(reverse("municipalities:compare", args=["ystad"]), {"a": 1, "b": 2}).content.decode()
    assert "<code>target_group.max_age</code>" in html
    assert "1 ändring" in html
    edited = AuditEntry.objects.for_object(ystad.active_ruleset).get(action="ruleset.edited")
    assert (edited.actor, edited.data) == (ystad_admin, {"changed_paths": ["target_group.max_age"]})
    history = client.get(reverse("municipalities:versions", args=["ystad"])).content.decode()
    assert "Versionen satt i kraft" in history
    assert "Versionen ersatt" in history


def test_active_version_edit_page_refuses(client, ystad_admin):
    client.force_login(ystad_admin)
    response = client.get(reverse("municipalities:edit", args=["ystad", 1]), follow=True)
    assert "kan bara ersättas av en ny version" in response.content.decode()


def test_import_of_another_municipalitys_file_is_refused(client, ystad_admin):
    client.force_login(ystad_admin)
    upload = SimpleUploadedFile("ale.json", json.dumps(shipped_document("ale")).encode(), "application/json")
    response = client.post(reverse("municipalities:versions", args=["ystad"]), {"file": upload, "note": ""})
    assert "Filen gäller ale, inte ystad (municipality.slug)." in response.content.decode()
    assert not Municipality.objects.get(slug="ale").ruleset_versions.filter(status=RuleSetStatus.DRAFT).exists()


def test_import_through_browser_form_creates_draft(client, ystad_admin):
    client.force_login(ystad_admin)
    document = shipped_document("ystad")
    document["reporting"]["reminder_days_before"] = 21
    upload = SimpleUploadedFile("ystad.json", json.dumps(document).encode(), "application/json")
    client.post(reverse("municipalities:versions", args=["ystad"]), {"file": upload, "note": "Påminn tidigare"})
    draft = Municipality.objects.get(slug="ystad").ruleset_versions.get(number=2)
    assert (draft.status, draft.document["reporting"]["reminder_days_before"]) == (RuleSetStatus.DRAFT, 21)


def test_export_download_is_the_version_document(client, ystad_admin):
    client.force_login(ystad_admin)
    response = client.get(reverse("municipalities:export", args=["ystad", 1]))
    assert response["Content-Disposition"] == 'attachment; filename="regelverk-ystad-v1.json"'
    assert json.loads(response.content) == shipped_document("ystad")


def test_version_in_use_by_a_case_cannot_be_edited(rulesets, monkeypatch):
    draft = services.create_draft(Municipality.objects.get(slug="ale").active_ruleset)
    assert draft.is_editable
    monkeypatch.setattr(type(draft), "is_in_use", property(lambda self: True))
    with pytest.raises(services.RuleSetLockedError):
        services.update_draft(draft, draft.document)


def test_versions_page_queries_do_not_grow_with_versions(client, ystad_admin, django_assert_num_queries):
    client.force_login(ystad_admin)
    url = reverse("municipalities:versions", args=["ystad"])
    client.get(url)
    with django_assert_num_queries(11) as few:
        client.get(url)
    active = Municipality.objects.get(slug="ystad").active_ruleset
    for _ in range(10):
        services.create_draft(active, user=ystad_admin)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
