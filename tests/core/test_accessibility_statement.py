"""The accessibility statement (tillgänglighetsredogörelse): public, after DIGG's model, with the
contact from the settings, in Swedish and English, and linked from every page's footer."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.enums import Role

pytestmark = pytest.mark.django_db

DIGG_HEADINGS = [
    "Hur tillgänglig är webbplatsen?",
    "Vad kan du göra om du inte kan använda delar av webbplatsen?",
    "Rapportera brister i webbplatsens tillgänglighet",
    "Tillsyn",
    "Teknisk information om webbplatsens tillgänglighet",
    "Innehåll som inte är tillgängligt",
    "Hur vi testat webbplatsen",
]


def test_statement_is_public_and_follows_diggs_model(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@ale.se"

    response = client.get(reverse("core:accessibility"))

    html = response.content.decode()
    assert response.status_code == 200
    headings = [html.index(f"{heading}</h2>") for heading in DIGG_HEADINGS]
    assert headings == sorted(headings)
    assert 'href="mailto:tillganglighet@ale.se"' in html
    assert 'href="https://www.digg.se/tdosanmalan"' in html
    assert "WCAG) 2.1" in html
    assert "Den senaste bedömningen gjordes den 1 december 2026." in html


def test_statement_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(reverse("core:accessibility")).content.decode()

    assert "<h1>Accessibility of Fonden</h1>" in html
    assert "Report shortcomings in the website’s accessibility</h2>" in html


def test_every_page_links_to_the_statement_in_its_footer(client, member):
    link = f'<a href="{reverse("core:accessibility")}">Tillgänglighetsredogörelse</a>'
    assert link in client.get(reverse("login")).content.decode()
    client.force_login(member("ale", Role.APPLICANT))
    assert link in client.get(reverse("start")).content.decode()
    assert link in client.get("/finns-inte/").content.decode()
