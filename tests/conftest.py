import json
import os
from pathlib import Path

import pytest

from accounts.enums import Role
from municipalities.services import RULESET_DIR, load_shipped_rulesets
from tests.factories import UserFactory

SLUGS = ["heby", "ale", "sundsvall", "ystad", "norrkoping"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def shipped_document(slug):
    return json.loads((RULESET_DIR / f"{slug}.json").read_text(encoding="utf-8"))


@pytest.fixture
def rulesets(db):
    """The five shipped rule sets, in force."""
    load_shipped_rulesets()


@pytest.fixture
def member(rulesets):
    """Make a user of a shipped municipality with the given roles: member("ystad", Role.PREPARER)."""
    from municipalities.models import Municipality

    def make(slug, *roles, **fields):
        return UserFactory(municipality=Municipality.objects.get(slug=slug), roles=list(roles), **fields)

    return make


@pytest.fixture
def ystad_admin(member):
    return member("ystad", Role.MUNICIPAL_ADMIN)


@pytest.fixture(scope="session")
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# Browser tests: Debian's Chromium, never a downloaded browser.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"), "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files (attachments, signed paper documents) go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _swedish_by_default():
    """Each test starts in Swedish, the default, whatever language an earlier test switched to."""
    from django.utils import translation

    translation.activate("sv")
    yield
    translation.activate("sv")
