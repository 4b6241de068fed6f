"""The secretariat creates a consultation in the Django admin, writing it in Arabic, English and French through
modeltranslation's language tabs, publishes it, and the public list shows it in each language at once."""

import re

import pytest
from playwright.sync_api import expect

from consultations.models import Consultation
from tests.factories import RegionalReviewFactory, StaffUserFactory

pytestmark = pytest.mark.browser

TEXTS = {
    "title": {
        "ar": "مشاورة حول حماية العمال المهاجرين",
        "en": "Consultation on protecting migrant workers",
        "fr": "Consultation sur la protection des travailleurs migrants",
    },
    "summary": {
        "ar": "<p>حوار بين الحكومات وأصحاب المصلحة.</p>",
        "en": "<p>A dialogue between governments and stakeholders.</p>",
        "fr": "<p>Un dialogue entre gouvernements et parties prenantes.</p>",
    },
}


def fill_translated(page, field: str, lang: str, value: str) -> None:
    """Open the field's `lang` tab (only the admin's own language is visible at first), then type."""
    target = page.locator(f"#id_{field}_{lang}")
    if not target.is_visible():
        tabs = page.locator(".ui-tabs").filter(has=target).first
        tabs.get_by_role("tab", name=lang, exact=True).click()
    expect(target).to_be_visible()
    target.fill(value)


def test_create_and_publish_a_trilingual_consultation(page, screenshot, log_in):
    review = RegionalReviewFactory(title_en="Arab region review")
    log_in(page, StaffUserFactory(is_superuser=True))
    page.goto("/en/consultations/")
    expect(page.locator("main")).not_to_contain_text(TEXTS["title"]["en"])

    page.goto("/en/admin/consultations/consultation/add/")
    page.locator("#id_review").select_option(str(review.pk))
    for lang in ("en", "ar", "fr"):
        for field, values in TEXTS.items():
            fill_translated(page, field, lang, values[lang])
        screenshot(f"admin-tab-{lang}", "en")
    # The slug is prepopulated from the English title by the admin's script.
    expect(page.locator("#id_slug")).to_have_value("consultation-on-protecting-migrant-workers")
    page.locator("#id_starts_at_0").fill("2099-03-10")
    page.locator("#id_starts_at_1").fill("09:00:00")
    page.locator("#id_ends_at_0").fill("2099-03-10")
    page.locator("#id_ends_at_1").fill("12:00:00")
    page.locator("#id_time_zone").fill("Asia/Beirut")
    page.locator('input[name="_continue"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    consultation = Consultation.objects.get(slug="consultation-on-protecting-migrant-workers")
    assert consultation.status == Consultation.Status.DRAFT
    assert not consultation.is_published
    assert {lang: getattr(consultation, f"title_{lang}") for lang in ("ar", "en", "fr")} == TEXTS["title"]

    page.locator("#id_status").select_option(Consultation.Status.OPEN)
    page.locator("#id_is_published").check()
    screenshot("admin-publish", "en")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.OPEN
    assert consultation.is_published

    # Anonymous visitors get the cached public list: publishing must reach it in every language.
    page.context.clear_cookies()
    for lang in ("ar", "en", "fr"):
        page.goto(f"/{lang}/consultations/")
        link = page.get_by_role("link", name=TEXTS["title"][lang])
        expect(link).to_be_visible()
        screenshot("public-list", lang)
        link.click()
        expect(page).to_have_url(re.compile(rf"/{lang}/consultations/{consultation.slug}/$"))
        expect(page.locator("h1")).to_have_text(TEXTS["title"][lang])
        expect(page.locator(".rich-text").first).to_contain_text(re.sub(r"</?p>", "", TEXTS["summary"][lang]))
