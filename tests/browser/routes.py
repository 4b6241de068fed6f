"""Routes every browser-level check walks (accessibility, CSP, screenshots), in every language.

A route is (name, path without the language prefix). Adding a page to the checks is one line here. Paths with
{placeholders} show objects: the accessibility tests fill them from the demo content plus a stakeholder's own
drafts (see `route_values` in test_accessibility.py).
"""

LANGUAGES = ("ar", "en", "fr")

# Pages that need no object beyond the reference data loaded by migration.
PUBLIC_ROUTES: list[tuple[str, str]] = [
    ("home", "/"),
    ("objective", "/objectives/17/"),
    ("login", "/accounts/login/"),
    ("signup", "/accounts/signup/"),
    ("password-reset", "/accounts/password/reset/"),
]

# Public pages showing demo objects, visited anonymously (what the page cache serves).
PUBLIC_OBJECT_ROUTES: list[tuple[str, str]] = [
    ("reviews", "/reviews/"),
    ("review", "/reviews/{review}/"),
    ("coverage", "/reviews/{review}/coverage/"),
    ("review-inputs", "/reviews/{review}/inputs/"),
    ("documents", "/reviews/{review}/documents/"),
    ("consultations", "/consultations/"),
    ("consultation", "/consultations/{consultation}/"),
    ("pledges-dashboard", "/pledges/"),
    ("pledges-list", "/pledges/list/"),
    ("pledge", "/pledges/{pledge}/"),
]

# Pages of a logged-in stakeholder with a completed profile, a member of an organization.
STAKEHOLDER_ROUTES: list[tuple[str, str]] = [
    ("profile", "/profile/"),
    ("delete-account", "/profile/delete/"),
    ("my-registrations", "/consultations/my-registrations/"),
    ("register", "/consultations/{open_consultation}/register/"),
    ("consultation-registered", "/consultations/{consultation}/"),
    ("my-pledges", "/pledges/mine/"),
    ("pledge-basics", "/pledges/new/"),
    ("pledge-measures", "/pledges/{draft_pledge}/edit/measures/"),
    ("pledge-contact", "/pledges/{draft_pledge}/edit/contact/"),
    ("pledge-review", "/pledges/{draft_pledge}/edit/review/"),
    ("pledge-progress", "/pledges/{own_pledge}/progress/"),
    ("input-new", "/reviews/{review}/inputs/new/"),
    ("input-edit", "/inputs/{draft_input}/edit/"),
]


def url(lang: str, path: str, values: dict | None = None) -> str:
    return f"/{lang}{path.format(**(values or {}))}"
