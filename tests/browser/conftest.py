"""Browser tests: Playwright driving Debian's Chromium against Django's live server, with axe-core
run on every page a test visits."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from core.demo import DEMO_PASSWORD, load_demo
from municipalities.services import load_shipped_rulesets


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # One xdist worker runs the browser tests, so two Chromiums don't compete for 2 cores.
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(autouse=True)
def _allow_sync_orm_in_live_server():
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test body are
    # still synchronous and safe, so Django's async guard is relaxed for browser tests only.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def demo(transactional_db):
    load_shipped_rulesets()
    load_demo()


class AccessibilityChecker:
    def __init__(self):
        self.axe = Axe()
        self.checked = []

    def check(self, page):
        """Run axe-core on the page; fail on any serious or critical violation."""
        results = self.axe.run(page)
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} – {[node['target'] for node in v['nodes']][:3]}"
            for v in results.response["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        self.checked.append(page.url)
        assert violations == [], f"axe-core on {page.url}: " + "; ".join(violations)
        return results


@pytest.fixture
def axe():
    return AccessibilityChecker()


@pytest.fixture
def login(live_server, axe):
    def log_in(page, email, password=DEMO_PASSWORD):
        page.goto(f"{live_server.url}/logga-in/")
        axe.check(page)
        page.get_by_label("E-postadress").fill(email)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()

    return log_in
