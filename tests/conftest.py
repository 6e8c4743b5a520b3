import json
import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from accounts.enums import Role
from municipalities.services import RULESET_DIR, load_shipped_rulesets
from tests.factories import UserFactory

# Property tests: random examples on a developer's machine, where a failing example is kept in the
# local example database and replayed first on the next run; the same fixed examples in CI, so a
# red CI run is a reproducible one.
hypothesis_settings.register_profile("dev", print_blob=True)
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

SLUGS = ["heby", "ale", "sundsvall", "ystad", "norrkoping"]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def shipped_document(slug):
    return json.loads((RULESET_DIR / f"{slug}.json").read_text(encoding="utf-8"))


def pytest_collection_modifyitems(config, items):
    """Tests marked slow (a whole demo load, years of days, long random sequences) run in CI and
    with RUN_SLOW_TESTS=1; ``make test`` on a laptop leaves them out."""
    if os.environ.get("RUN_SLOW_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="slow: runs in CI, or with RUN_SLOW_TESTS=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


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
