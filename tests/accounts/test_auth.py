import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import Role
from demo.loader import load_demo

pytestmark = pytest.mark.django_db


def test_login_with_email_in_any_case_reaches_start_page(client, member):
    member("heby", Role.APPLICANT, email="kim@heby.se")
    response = client.post(reverse("login"), {"username": "Kim@Heby.se", "password": "hemligt-lösen-123"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("start")
    assert "Mina ärenden" in response.content.decode()


def test_wrong_password_says_so_in_swedish(client, member):
    member("heby", Role.APPLICANT, email="kim@heby.se")
    response = client.post(reverse("login"), {"username": "kim@heby.se", "password": "fel"})
    assert "Fel e-postadress eller lösenord." in response.content.decode()


@pytest.fixture
def demo_accounts(rulesets):
    """The demo's accounts (its cases play no part on the login page)."""
    load_demo()


def test_login_page_lists_demo_accounts_in_demo_mode(client, demo_accounts):
    html = client.get(reverse("login")).content.decode()
    assert "beredare.sundsvall@demo.fonden.se" in html
    assert "Sundsvalls kommun" in html


def test_login_page_hides_demo_accounts_outside_demo_mode(client, demo_accounts, settings):
    settings.DEMO_MODE = False
    assert "demo.fonden.se" not in client.get(reverse("login")).content.decode()


def test_login_page_queries_do_not_grow_with_accounts(client, member, django_assert_num_queries):
    from tests.factories import UserFactory

    UserFactory.create_batch(3, is_demo=True)
    with django_assert_num_queries(2) as few:
        client.get(reverse("login"))
    UserFactory.create_batch(30, is_demo=True, roles=[Role.APPLICANT, Role.CONTROLLER])
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("login"))


def test_password_reset_by_email_sets_new_password(client, member):
    member("ale", Role.PREPARER, email="pia@ale.se")
    client.post(reverse("password_reset"), {"email": "pia@ale.se"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Nytt lösenord till Fonden"
    link = re.search(r"http://testserver(/losenord/aterstall/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "Ny-fras-för-fonden-9", "new_password2": "Ny-fras-för-fonden-9"})
    assert client.login(username="pia@ale.se", password="Ny-fras-för-fonden-9")


def test_password_reset_for_unknown_address_sends_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "ingen@ale.se"}, follow=True)
    assert "Kolla din e-post" in response.content.decode()
    assert mail.outbox == []


def test_language_switch_remembers_a_signed_in_users_choice(client, member):
    person = member("ale", Role.PREPARER)
    client.force_login(person)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    person.refresh_from_db()
    assert (response.status_code, person.language) == (302, "en")

    client.post(reverse("set_language"), {"language": "klingon", "next": "/"})
    person.refresh_from_db()
    assert person.language == "en"
