"""Refusals and errors answer in Swedish, on the site's own pages, with a way on."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import path, reverse

from accounts.enums import Role
from config import urls as config_urls
from core.views import server_error

pytestmark = pytest.mark.django_db


def test_page_not_found_is_swedish_with_a_way_on(client, member):
    client.force_login(member("ale", Role.APPLICANT))

    response = client.get("/arenden/999999/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Sidan finns inte</h1>" in html
    assert f'href="{reverse("start")}"' in html


def test_refusal_says_why_in_swedish(client, member):
    client.force_login(member("ale", Role.APPLICANT))

    response = client.get(reverse("exports:index"))

    html = response.content.decode()
    assert response.status_code == 403
    assert "Du har inte behörighet till den här sidan" in html
    assert "kontakta kommunens administratör" in html


def test_refusal_names_the_roles_that_may_open_the_page_and_the_users_own(client, member):
    client.force_login(member("ale", Role.BOARD, full_name="Nora Nämnd"))

    html = client.get(reverse("exports:index")).content.decode()

    assert (
        '<p class="lead">Export är till för kommunens controller, beredande grupp, ledningsgrupp, '
        "beslutande organ och administratör.</p>"
    ) in html
    assert "Du är inloggad som Nora Nämnd." in html
    assert "Dina roller: <strong>nämndrepresentant</strong>." in html
    assert f'<a href="{reverse("applications:list")}">Till ärendelistan</a>' in html


def test_refusal_in_english(client, member):
    client.force_login(member("ale", Role.BOARD))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(reverse("exports:index")).content.decode()

    assert "<h1>You do not have permission to view this page</h1>" in html
    assert (
        "Exports are for the municipality’s controller, preparing group, management group, decision body "
        "and administrator." in html
    )


def test_page_not_found_in_english_offers_the_way_back(client, member):
    client.force_login(member("ale", Role.APPLICANT))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/arenden/999999/", HTTP_REFERER="http://testserver/arenden/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html
    assert '<a href="http://testserver/arenden/">Back to the page you came from</a>' in html
    assert f'<a href="{reverse("start")}">Go to the start page</a>' in html
    assert f'<a href="{reverse("applications:list")}">Search the cases</a>' in html


def test_page_not_found_offers_no_way_back_to_another_site(client, member):
    client.force_login(member("ale", Role.APPLICANT))

    html = client.get("/finns-inte/", HTTP_REFERER="https://example.com/").content.decode()

    assert "example.com" not in html
    assert "Tillbaka till sidan du kom från" not in html


def test_expired_form_is_explained_in_swedish(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member("ale", Role.APPLICANT))

    response = client.post(reverse("applications:create"), {"title": "Utan token"})

    assert response.status_code == 403
    assert "Formuläret kunde inte tas emot" in response.content.decode()


def broken(request):
    raise RuntimeError("trasig")


urlpatterns = [path("trasig/", broken), *config_urls.urlpatterns]
handler500 = config_urls.handler500


@pytest.mark.urls(__name__)
def test_server_error_is_swedish_with_a_reference_logged_with_the_exception(client, caplog):
    client.raise_request_exception = False

    response = client.get("/trasig/")

    html = response.content.decode()
    reference = response["X-Error-Reference"]
    assert response.status_code == 500
    assert "<h1>Ett fel uppstod hos oss</h1>" in html
    assert f'<strong class="font-monospace fs-5" id="error-reference">{reference}</strong>' in html
    assert re.fullmatch(r"[0-9A-F]{8}", reference)
    logged = [r for r in caplog.records if r.name == "fonden.errors"]
    assert [r.getMessage() for r in logged] == [f"Serverfel, referens {reference}: GET /trasig/"]
    assert logged[0].exc_info[1].args == ("trasig",)


def broken_context_processor(request):
    raise RuntimeError("context processor")


def test_server_error_page_asks_neither_the_database_nor_the_context_processors(
    rf, settings, django_assert_num_queries
):
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {"context_processors": [f"{__name__}.broken_context_processor"]},
        }
    ]

    with django_assert_num_queries(0):
        response = server_error(rf.get("/trasig/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Ett fel uppstod hos oss</h1>" in html
    assert response["X-Error-Reference"] in html
    assert "Tillgänglighetsredogörelse" in html  # in the site's layout
