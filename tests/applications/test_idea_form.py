"""The idea form, through the page: a missing part is shown next to its field, what was typed
stays, and the idea is not submitted."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from applications.enums import CaseState
from applications.models import Case
from tests.conftest import SLUGS, shipped_document

pytestmark = pytest.mark.django_db

IDEA_SLUGS = [slug for slug in SLUGS if shipped_document(slug)["stages"]["idea"]["enabled"]]


def _field_block(page, name):
    """The markup crispy renders for one field: from its wrapper to the next field's wrapper."""
    start = page.index(f'id="div_id_{name}"')
    following = page.find('id="div_id_', start + 1)
    return page[start : following if following != -1 else len(page)]


def test_the_shipped_rule_sets_with_an_idea_stage_are_tested():
    assert IDEA_SLUGS == ["ale", "sundsvall", "ystad"]


@pytest.mark.parametrize("slug", IDEA_SLUGS)
def test_idea_with_an_empty_part_shows_the_error_by_the_field_and_keeps_the_text(client, new_case, slug):
    case, users = new_case(slug)
    contents = shipped_document(slug)["stages"]["idea"]["contents"]
    data = {"title": "Läxhjälp i biblioteket", "submit": ""}
    for index in range(len(contents) - 1):
        data[f"idea_{index}"] = f"Text som sökanden skrev i del {index}."
    empty = f"idea_{len(contents) - 1}"
    client.force_login(users["applicant"])

    response = client.post(reverse("applications:edit", args=[case.pk]), data)

    assert response.status_code == 200
    page = html_lib.unescape(response.content.decode())
    assert "Idén är sparad men kunde inte lämnas in: rätta det som är markerat." in page
    block = _field_block(page, empty)
    assert "is-invalid" in block
    assert f"Beskriv: {contents[-1]}." in block
    assert 'value="Läxhjälp i biblioteket"' in page
    for index in range(len(contents) - 1):
        assert re.search(rf"<textarea[^>]*>\s*Text som sökanden skrev i del {index}\.</textarea>", page)
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.IDEA_DRAFT
    assert case.number in ("", None)


@pytest.mark.parametrize("slug", IDEA_SLUGS)
def test_idea_without_a_name_is_refused_by_the_name_field(client, new_case, slug):
    case, users = new_case(slug)
    contents = shipped_document(slug)["stages"]["idea"]["contents"]
    data = {"title": "", "submit": ""} | {f"idea_{i}": "Något." for i in range(len(contents))}
    client.force_login(users["applicant"])

    response = client.post(reverse("applications:edit", args=[case.pk]), data)

    assert response.status_code == 200
    block = _field_block(html_lib.unescape(response.content.decode()), "title")
    assert "Ange insatsens namn." in block
    assert Case.objects.get(pk=case.pk).state == CaseState.IDEA_DRAFT
