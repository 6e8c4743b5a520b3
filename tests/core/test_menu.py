"""The main menu shows a page exactly when the user may open it: every demo account of every
municipality opens each of its menu links (200), and each menu page it is not shown refuses it."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from core.menu import MENU
from demo.loader import load_demo

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav[^>]*aria-label="Huvudmeny".*?</nav>', re.S)
LINK = re.compile(r'<a class="nav-link" href="([^"]+)"')


@pytest.fixture
def demo_accounts(rulesets):
    load_demo()


def every_menu_url(user):
    slug = user.municipality.slug if user.municipality else None
    urls = set()
    for item in MENU:
        if item.slug_in_url and slug is None:
            continue
        urls.add(reverse(item.url_name, args=[slug] if item.slug_in_url else []))
    return urls


def refused(response, url):
    """Not opened: refused (403, 404), or sent elsewhere: Django admin sends a non-staff user to its
    own login, the list of municipalities sends a municipality's user on to its rule set."""
    if response.status_code in (403, 404):
        return True
    if response.status_code == 302:
        return url == reverse("municipalities:list") or response.url.startswith(reverse("admin:login"))
    return False


def menu_links(client):
    page = client.get(reverse("start"))
    assert page.status_code == 200
    return LINK.findall(NAV.search(page.content.decode()).group(0))


@pytest.mark.parametrize("slug", ["heby", "ale", "sundsvall", "ystad", "norrkoping", None])
def test_each_menu_link_opens_and_no_page_is_offered_that_refuses(client, demo_accounts, slug):
    people = User.objects.filter(is_demo=True)
    users = people.filter(municipality__slug=slug) if slug else people.filter(is_superuser=True)
    assert users.exists()
    for user in users:
        client.force_login(user)
        shown = menu_links(client)
        for url in shown:
            assert client.get(url).status_code == 200, (user.email, url)
        for url in every_menu_url(user) - set(shown):
            response = client.get(url)
            assert refused(response, url), (user.email, url, response.status_code)
        client.logout()


def test_menu_names_the_pages_for_a_controller_and_for_a_namnd(client, demo_accounts):
    controller = User.objects.get(email="controller.sundsvall@demo.fonden.se")
    client.force_login(controller)
    labels = re.findall(r'class="nav-link" href="[^"]+">([^<]+)', client.get(reverse("start")).content.decode())
    assert "Fondmedel" in labels
    assert "Export" in labels
    assert "Sammanträde" not in labels
    client.force_login(User.objects.get(email="namnd.sundsvall@demo.fonden.se"))
    labels = re.findall(r'class="nav-link" href="[^"]+">([^<]+)', client.get(reverse("start")).content.decode())
    assert "Export" not in labels
