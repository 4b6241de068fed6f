"""Journeys through the public pages in a real browser, in Arabic, English and French."""

import re

import pytest
from playwright.sync_api import expect

from .routes import LANGUAGES

pytestmark = pytest.mark.browser

DIRECTION = {"ar": "rtl", "en": "ltr", "fr": "ltr"}
OBJECTIVE_17 = {
    "ar": "القضاء على جميع أشكال التمييز",
    "en": "Eliminate all forms of discrimination",
    "fr": "Éliminer toutes les formes de discrimination",
}
FONT = {"ar": "Noto Naskh Arabic", "en": "Noto Sans", "fr": "Noto Sans"}


def computed(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"el => getComputedStyle(el).getPropertyValue('{prop}')")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_then_objective_page(page, screenshot, lang):
    response = page.goto(f"/{lang}/")
    assert response.status == 200
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", DIRECTION[lang])
    assert computed(page, "body", "direction") == DIRECTION[lang]
    # The stylesheet and the self-hosted fonts arrived and apply (no CDN: CSP allows only 'self').
    assert computed(page, ".site-header", "background-color") == "rgb(0, 90, 156)"
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.evaluate(f"document.fonts.check('16px \"{FONT[lang]}\"')")
    expect(page.locator(".thematic-area")).to_have_count(4)
    screenshot("home", lang)

    page.get_by_role("link", name=re.compile(re.escape(OBJECTIVE_17[lang]))).first.click()
    expect(page).to_have_url(re.compile(rf"/{lang}/objectives/17/$"))
    expect(page.locator("h1")).to_contain_text(OBJECTIVE_17[lang])
    expect(page.locator("html")).to_have_attribute("dir", DIRECTION[lang])
    screenshot("objective", lang)


def test_language_switcher_keeps_the_page(page, screenshot):
    page.goto("/en/objectives/17/")
    page.locator('.lang-switch a[hreflang="ar"]').click()
    expect(page).to_have_url(re.compile(r"/ar/objectives/17/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_contain_text(OBJECTIVE_17["ar"])
    expect(page.locator('.lang-switch a[hreflang="ar"]')).to_have_attribute("aria-current", "true")
    screenshot("switched", "ar")

    page.locator('.lang-switch a[hreflang="fr"]').click()
    expect(page).to_have_url(re.compile(r"/fr/objectives/17/$"))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_contain_text(OBJECTIVE_17["fr"])
    screenshot("switched", "fr")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", ["/", "/objectives/17/"])
def test_keyboard_only_skip_link_and_focus_ring(page, screenshot, lang, path):
    page.goto(f"/{lang}{path}")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link", "the first Tab stop must be the skip link"
    # The link is off-screen until focused; focused it must be visible inside the viewport.
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0
    # Keyboard focus shows a ring of at least 2px (WCAG 2.4.7), in a style that is not "none".
    assert computed(page, ".skip-link", "outline-style") == "solid"
    assert float(computed(page, ".skip-link", "outline-width").removesuffix("px")) >= 2
    page_name = path.strip("/").replace("/", "-") or "home"
    screenshot(f"skip-link-{page_name}", lang)

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), (
        "Tab after the skip goes into main"
    )
    assert computed(page, ":focus", "outline-style") == "solid"


def test_the_harness_reports_csp_violations_and_broken_assets(page, page_problems):
    """Guards the check itself: an inline script and a missing stylesheet must both be caught."""
    page.goto("/en/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "document.body.dataset.inline = 'ran'";
            document.body.append(script);
            const link = document.createElement("link");
            link.rel = "stylesheet";
            link.href = "/static/css/does-not-exist.css";
            document.head.append(link);
        }"""
    )
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.dataset.inline") is None, "the CSP let an inline script run"
    assert any("script-src" in text for text in page_problems.csp_violations), page_problems.csp_violations
    assert any("does-not-exist.css" in asset for asset in page_problems.broken_assets)
    # Expected problems, not failures of this test.
    page_problems.clear()
