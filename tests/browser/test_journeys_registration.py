"""A stakeholder's whole way to a consultation seat in a real browser, in Arabic and English: sign up, confirm
the e-mail address from the captured message, complete the profile, register, see the meeting link, cancel,
and the next person on the waiting list gets the seat. Then the same registration by keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from consultations.models import Registration
from tests.consultations.factories import ConsultationFactory, RegistrationFactory, participant

pytestmark = pytest.mark.browser

DIRECTION = {"ar": "rtl", "en": "ltr"}
PASSWORD = "a-long-journey-password-42"
MEETING_LINK = "https://meet.example.org/secret-room-42"
CONFIRMATION_LINK = re.compile(r"https?://[^\s]+/accounts/confirm-email/[^\s/]+/")


@pytest.fixture
def full_consultation_with_waitlist():
    """One seat, free; `join_waitlist()` puts a second person on the waiting list once the seat is taken."""
    consultation = ConsultationFactory(capacity=1, title_en="Labour mobility", title_ar="تنقل اليد العاملة")

    def join_waitlist():
        return RegistrationFactory(
            consultation=consultation,
            user=participant(full_name="Waiting Person"),
            status=Registration.Status.WAITLISTED,
            confirmed_at=None,
        )

    return consultation, join_waitlist


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_sign_up_verify_profile_register_cancel_and_promote(
    page, screenshot, mailoutbox, tasks_run_in_the_server, full_consultation_with_waitlist, lang
):
    consultation, join_waitlist = full_consultation_with_waitlist
    email = f"new.person.{lang}@example.org"

    page.goto(f"/{lang}/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("dir", DIRECTION[lang])
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    screenshot("01-signup", lang)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/accounts/confirm-email/$"))
    screenshot("02-verification-sent", lang)

    # The live server runs in this process: allauth's message is in the locmem outbox, in the page's language.
    [message] = [m for m in mailoutbox if email in m.to]
    link = CONFIRMATION_LINK.search(message.body).group(0)
    assert f"/{lang}/accounts/confirm-email/" in link
    page.goto(link)
    screenshot("03-confirm-email", lang)
    page.locator("main form button[type=submit]").click()

    # Registering asks for the profile first, then comes back to the registration.
    page.goto(f"/{lang}/consultations/{consultation.slug}/")
    expect(page.locator("h1")).to_contain_text(
        consultation.title_ar if lang == "ar" else consultation.title_en
    )
    screenshot("04-consultation", lang)
    page.locator(".registration-box form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/profile/\?next="))
    page.locator("#id_full_name").fill("سلمى المهاجرة" if lang == "ar" else "Salma Newcomer")
    page.locator("#id_gender_0").check()
    page.locator("#id_country").select_option("EG")
    page.locator("#id_accept_terms").check()
    screenshot("05-profile", lang)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/consultations/{consultation.slug}/register/$"))
    screenshot("06-register", lang)
    page.locator("main form button[type=submit]").first.click()

    expect(page).to_have_url(re.compile(rf"/{lang}/consultations/my-registrations/$"))
    expect(page.locator(".messages, [role=status], .message").first).to_be_visible()
    row = page.locator("table.my-registrations tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator(".status-confirmed")).to_be_visible()
    expect(row.locator(f'a[href="{MEETING_LINK}"]')).to_be_visible()
    screenshot("07-confirmed", lang)
    mine = Registration.objects.get(consultation=consultation, user__email=email)
    assert mine.status == Registration.Status.CONFIRMED
    # The confirmation e-mail (sent by the Celery task after commit) carries the link as well.
    assert any(email in m.to and MEETING_LINK in m.body for m in mailoutbox)

    waiting = join_waitlist()
    row.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/consultations/my-registrations/$"))
    expect(page.locator("table.my-registrations .status-cancelled")).to_be_visible()
    expect(page.locator(f'a[href="{MEETING_LINK}"]')).to_have_count(0)
    screenshot("08-cancelled", lang)

    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert any(waiting.user.email in m.to and MEETING_LINK in m.body for m in mailoutbox)


def computed(page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"el => getComputedStyle(el).getPropertyValue('{prop}')")


def tab_to(page, predicate: str, limit: int = 60) -> None:
    """Press Tab until the focused element satisfies the JavaScript `predicate(el)`; fail after `limit`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def assert_focus_ring(page) -> None:
    # WCAG 2.4.7: whatever has keyboard focus shows a solid ring at least 2px wide.
    assert computed(page, ":focus", "outline-style") == "solid"
    assert float(computed(page, ":focus", "outline-width").removesuffix("px")) >= 2


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_register_with_the_keyboard_alone(page, screenshot, log_in, tasks_run_in_the_server, lang):
    consultation = ConsultationFactory()
    person = participant(preferred_language=lang)
    log_in(page, person)
    page.goto(f"/{lang}/consultations/{consultation.slug}/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link", "the skip link comes first"
    assert_focus_ring(page)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    tab_to(page, "el.closest('.registration-box') && el.type === 'submit'")
    assert_focus_ring(page)
    screenshot("keyboard-register-button", lang)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/{lang}/consultations/my-registrations/$"))
    expect(page.locator("table.my-registrations .status-confirmed")).to_be_visible()
    screenshot("keyboard-registered", lang)
    assert (
        Registration.objects.get(consultation=consultation, user=person).status
        == Registration.Status.CONFIRMED
    )
