import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from accounts.enums import Role
from core.formatting import format_kronor

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "mode": "in-process"}


def test_healthz_is_503_when_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


def test_pages_are_swedish_even_for_an_english_browser(client, member):
    client.force_login(member("ale", Role.APPLICANT))
    response = client.get(reverse("start"), headers={"accept-language": "en-US,en;q=0.9"})
    assert response["Content-Language"] == "sv"
    assert '<html lang="sv">' in response.content.decode()


def test_language_switch_to_english_sticks(client, member):
    client.force_login(member("ale", Role.APPLICANT))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("start"))
    assert response["Content-Language"] == "en"
    assert "My cases" in response.content.decode()


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("1250000"), "1\xa0250\xa0000\xa0kr"),
        (Decimal("1250000.5"), "1\xa0250\xa0000,50\xa0kr"),
        (Decimal("999"), "999\xa0kr"),
        ("40000000.00", "40\xa0000\xa0000\xa0kr"),
        (Decimal("-1500.255"), "−1\xa0500,26\xa0kr"),
    ],
)
def test_kronor_in_swedish_format(amount, text):
    assert format_kronor(amount) == text


def test_dates_in_iso_format(client, settings):
    from django.utils import formats, translation

    with translation.override("sv"):
        import datetime

        assert formats.date_format(datetime.date(2026, 11, 22), "SHORT_DATE_FORMAT") == "2026-11-22"


def test_production_settings_pass_deploy_check():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 30 + "-production-like-secret-key-of-sufficient-length-0123456789",
        "ALLOWED_HOSTS": "fonden.example.se",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=django_settings.BASE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
