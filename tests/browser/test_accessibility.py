"""axe-core (shipped inside axe-playwright-python, no network) on every public route in every language:
WCAG 2.0/2.1 level A and AA rules, zero violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .routes import LANGUAGES, PUBLIC_ROUTES, url

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("name", "path"), PUBLIC_ROUTES, ids=[name for name, _path in PUBLIC_ROUTES])
def test_public_route_has_no_wcag_violations(page, axe, screenshot, name, path, lang):
    response = page.goto(url(lang, path))
    assert response.status == 200
    page.evaluate("document.fonts.ready.then(() => true)")
    results = axe.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    screenshot(name, lang)


def test_axe_runs_the_requested_rules(page, axe):
    """Guards the check itself: a page with known faults must be reported."""
    page.set_content('<html><body><img src="data:,"><a href="/x"></a></body></html>')
    results = axe.run(page, options=AXE_OPTIONS)
    found = {violation["id"] for violation in results.response["violations"]}
    assert {"image-alt", "link-name", "html-has-lang"} <= found
