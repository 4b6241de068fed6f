"""The account journey in a real browser: sign up in Arabic, confirm by the e-mailed link, complete the
profile, download the data; axe-core on the pages only a logged-in person sees."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from tests.browser.test_accessibility import AXE_OPTIONS

pytestmark = pytest.mark.browser

PASSWORD = "Migration-Compact-2018"


def sign_up_and_confirm(page, email: str, lang: str) -> None:
    page.goto(f"/{lang}/accounts/signup/")
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    assert page.url.endswith(f"/{lang}/accounts/confirm-email/")
    link = re.search(r"https?://\S+/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.click("main button[type=submit]")


def test_arabic_sign_up_profile_and_data_download(page, screenshot):
    mail.outbox.clear()
    sign_up_and_confirm(page, "salma@example.org", "ar")
    # Logged in by the confirmation; the profile page opens in Arabic, right to left.
    page.goto("/ar/profile/?next=/ar/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.click("main button[type=submit]")  # empty form: errors are summarised and linked
    assert page.locator(".error-summary[role=alert]").is_visible()
    screenshot("profile-errors", "ar")

    page.fill("#id_full_name", "سلمى الحسن")
    page.check("#id_gender_0")
    page.select_option("#id_country", "LB")
    page.select_option("#id_preferred_language", "ar")
    page.fill("#id_organization_name", "شبكة المهاجرين")
    page.check("#id_accept_terms")
    page.click("main button[type=submit]")
    assert page.url.endswith("/ar/")

    page.goto("/ar/profile/")
    assert page.input_value("#id_full_name") == "سلمى الحسن"
    with page.expect_download() as download:
        page.click("a[href='/ar/profile/my-data/']")
    content = download.value.path().read_text(encoding="utf-8")
    assert "سلمى الحسن" in content and "salma@example.org" in content
    screenshot("profile", "ar")


@pytest.mark.parametrize("lang", ["ar", "en", "fr"])
def test_profile_and_delete_pages_have_no_wcag_violations(page, screenshot, lang):
    mail.outbox.clear()
    sign_up_and_confirm(page, f"axe-{lang}@example.org", lang)
    axe = Axe()
    for name, path in (("profile", "/profile/"), ("delete-account", "/profile/delete/")):
        page.goto(f"/{lang}{path}")
        page.click("main button[type=submit]")  # the error state is the one that must be accessible too
        page.evaluate("document.fonts.ready.then(() => true)")
        results = axe.run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()
        screenshot(name, lang)
