import pytest


@pytest.mark.usefixtures("demo")
def test_demo_user_logs_in_and_sees_swedish_start_page(page, live_server, login, axe, artifacts_dir):
    login(page, "beredare.ystad@demo.fonden.se")
    assert page.url == f"{live_server.url}/"
    assert page.get_by_role("heading", level=1).inner_text() == "Mina ärenden"
    assert page.get_by_role("heading", name="Processgruppen").is_visible()
    assert page.locator("html").get_attribute("lang") == "sv"
    # Styled: Bootstrap and our stylesheet load, so the header bar has its colour.
    header_colour = page.locator("nav.navbar").evaluate("n => getComputedStyle(n).backgroundColor")
    assert header_colour == "rgb(11, 79, 108)"
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "start-page.png"), full_page=True)


@pytest.mark.usefixtures("demo")
def test_admin_reads_ruleset_and_versions(page, live_server, login, axe, artifacts_dir):
    login(page, "admin.sundsvall@demo.fonden.se")
    page.get_by_role("link", name="Regelverk").first.click()
    assert "Sundsvall" in page.get_by_role("heading", level=1).inner_text()
    axe.check(page)
    page.screenshot(path=str(artifacts_dir / "ruleset-sundsvall.png"), full_page=True)
    page.get_by_role("link", name="Versioner, ändringar och export").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Regelverksversioner för Sundsvalls kommun"
    axe.check(page)
