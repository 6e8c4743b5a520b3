"""Browser tests: Playwright driving Debian's Chromium against Django's live server, with axe-core
run on every page a test visits."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from demo.loader import DEMO_PASSWORD, load_demo
from municipalities.services import load_shipped_rulesets


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core measures colours as they are at that instant. Bootstrap fades a button's colours
    # over 0.15 s (one just clicked, still under the pointer, is halfway), and drops the fade for
    # people who ask for reduced motion, as the tests do: each check sees the colours people see.
    return {**browser_context_args, "reduced_motion": "reduce"}


# The day the demo is loaded for a browser test: its decision rounds fall in the next year (2027),
# which the walks' dates follow, whatever the real date.
DEMO_LOADED_ON = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)


@pytest.fixture
def demo(transactional_db, time_machine):
    time_machine.move_to(DEMO_LOADED_ON)
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
            f"{v['id']} ({v['impact']}): {v['help']} – "
            + str([(node["target"], node["html"][:100]) for node in v["nodes"]][:3])
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


@pytest.fixture
def act_as(page, login):
    """Sign out whoever is signed in and sign in as ``email``: the walks change hands between the
    roles a rule set names, as the people themselves would at their own desks."""

    def switch(email):
        page.context.clear_cookies()
        login(page, email)

    return switch


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    # Set up after the test database, so it is torn down first: its thread's connection must be
    # closed before the database is dropped (PostgreSQL refuses to drop a database in use).
    return live_server
