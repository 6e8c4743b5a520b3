"""The start page, Mina ärenden (applications.views.start): each role as the municipality names it."""

import json

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from accounts.enums import Role

pytestmark = pytest.mark.django_db


def test_start_page_names_roles_as_the_municipality_does(client, member):
    client.force_login(member("ystad", Role.PREPARER, Role.MANAGEMENT))
    html = client.get(reverse("start")).content.decode()
    assert "Processgruppen" in html
    assert "Kommunledningsgruppen" in html
    assert "Du agerar i dessa steg:" in html


def test_start_page_of_sundsvall_board_member_shows_facknamnd_step(client, member):
    client.force_login(member("sundsvall", Role.BOARD))
    html = client.get(reverse("start")).content.decode()
    document_board = json.loads(
        (django_settings.BASE_DIR / "municipalities/rulesets/sundsvall.json").read_text(encoding="utf-8")
    )["bodies"]["board"]["name"]
    assert document_board in html
