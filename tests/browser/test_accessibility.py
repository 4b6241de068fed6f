"""axe-core (shipped inside axe-playwright-python, no network) on every public route and every page of a
logged-in stakeholder, in every language: WCAG 2.0/2.1 level A and AA rules, zero violations."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone

from consultations.models import Consultation
from gcm_portal.demo.consultations import AFRICA_SLUG, ARAB_SLUG
from pledges.models import Pledge, SubmissionStatus
from reports.models import ConsultationSummary, RenderedDocument
from reviews.models import RegionalReview
from tests.consultations.factories import RegistrationFactory
from tests.pledges.factories import PledgeFactory, ProfileFactory, WrittenInputFactory

from .routes import LANGUAGES, PUBLIC_OBJECT_ROUTES, PUBLIC_ROUTES, STAKEHOLDER_ROUTES, url

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
ARAB_REVIEW_SLUG = "arab-region-round-2"
# A form control named like a DOM method (a field called "matches", "submit", "reset"…) hides that method on
# its <form> (`form.matches` becomes the <select>): scripts calling it break, axe among them. Pages must have
# none, so this is asserted rather than worked around.
CLOBBERING_CONTROLS = """() => {
    const isMethod = (name) => {
        for (let proto = HTMLFormElement.prototype; proto; proto = Object.getPrototypeOf(proto)) {
            const descriptor = Object.getOwnPropertyDescriptor(proto, name);
            if (descriptor) return typeof descriptor.value === "function";
        }
        return false;
    };
    const names = [];
    for (const form of document.forms) {
        for (const control of form.elements) {
            if (control.name && isMethod(control.name)) names.push(control.name);
        }
    }
    return names;
}"""


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def check(page, axe, screenshot, name: str, path: str, lang: str) -> str | None:
    """The axe report of one page, or None when it has no violation (a screenshot is kept either way)."""
    response = page.goto(path)
    assert response.status == 200, f"{name}: {path} answered {response.status}"
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.evaluate(CLOBBERING_CONTROLS) == [], f"{name}: form controls shadow DOM members"
    results = axe.run(page, options=AXE_OPTIONS)
    screenshot(name, lang)
    return None if results.violations_count == 0 else f"{path}\n{results.generate_report()}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("name", "path"), PUBLIC_ROUTES, ids=[name for name, _path in PUBLIC_ROUTES])
def test_public_route_has_no_wcag_violations(page, axe, screenshot, name, path, lang):
    assert check(page, axe, screenshot, name, url(lang, path), lang) is None


@pytest.fixture
def route_values(live_server) -> dict:
    """The demo content, and a stakeholder of an organization with a registration, a published pledge and
    drafts: every {placeholder} of the route tables."""
    call_command("load_demo", stdout=io.StringIO())
    review = RegionalReview.objects.get(slug=ARAB_REVIEW_SLUG)
    # The public documents page lists finished PDFs only: give the demo's published summary report a done
    # render per language (the file itself is never requested here).
    summary = ConsultationSummary.objects.get(consultation__review=review)
    for version, code in enumerate(LANGUAGES, start=1):
        RenderedDocument.objects.create(
            consultation_summary=summary,
            language=code,
            version=version,
            content_hash=f"demo-{code}",
            is_public=True,
            status=RenderedDocument.Status.DONE,
            file=f"reports/summary-demo-{code}.pdf",
            page_count=3,
            size=48_000,
        )
    member = ProfileFactory(terms_accepted_at=timezone.now()).user
    organization = member.profile.organization
    RegistrationFactory(consultation=Consultation.objects.get(slug=AFRICA_SLUG), user=member)
    return {
        "member": member,
        "review": review.slug,
        "consultation": AFRICA_SLUG,
        "open_consultation": ARAB_SLUG,
        "pledge": Pledge.objects.filter(status=SubmissionStatus.PUBLISHED).order_by("pk").first().pk,
        "own_pledge": PledgeFactory(organization=organization).pk,
        "draft_pledge": PledgeFactory(
            organization=organization, status=SubmissionStatus.DRAFT, published_at=None
        ).pk,
        "draft_input": WrittenInputFactory(
            organization=organization, review=review, status=SubmissionStatus.DRAFT, published_at=None
        ).pk,
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_with_content_has_no_wcag_violations(page, axe, screenshot, log_in, route_values, lang):
    """One test per language walks all the pages (the demo loads once): anonymously the public pages, then,
    logged in, the stakeholder's own pages. Every page's report is collected before failing."""
    reports = [
        check(page, axe, screenshot, name, url(lang, path, route_values), lang)
        for name, path in PUBLIC_OBJECT_ROUTES
    ]
    log_in(page, route_values["member"])
    reports += [
        check(page, axe, screenshot, name, url(lang, path, route_values), lang)
        for name, path in STAKEHOLDER_ROUTES
    ]
    failures = [report for report in reports if report is not None]
    assert failures == [], "\n\n".join(failures)


def test_axe_runs_the_requested_rules(page, axe):
    """Guards the check itself: a page with known faults must be reported."""
    page.set_content('<html><body><img src="data:,"><a href="/x"></a></body></html>')
    results = axe.run(page, options=AXE_OPTIONS)
    found = {violation["id"] for violation in results.response["violations"]}
    assert {"image-alt", "link-name", "html-has-lang"} <= found
