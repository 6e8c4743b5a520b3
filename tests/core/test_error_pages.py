"""Refusals and errors answer in Swedish, on the site's own pages, with a way on."""

import pytest
from django.test import Client
from django.urls import path, reverse

from accounts.enums import Role
from config import urls as config_urls

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
def test_server_error_is_swedish(client):
    client.raise_request_exception = False

    response = client.get("/trasig/")

    assert response.status_code == 500
    assert "Ett fel uppstod hos oss" in response.content.decode()
