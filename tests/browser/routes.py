"""Public routes every browser-level check walks (accessibility, CSP, screenshots), in every language.

A route is (name, path without the language prefix). Adding a public page to the checks is one line here.
"""

LANGUAGES = ("ar", "en", "fr")

PUBLIC_ROUTES: list[tuple[str, str]] = [
    ("home", "/"),
    ("objective", "/objectives/17/"),
    ("login", "/accounts/login/"),
    ("signup", "/accounts/signup/"),
    ("password-reset", "/accounts/password/reset/"),
]


def url(lang: str, path: str) -> str:
    return f"/{lang}{path}"
