"""Production hardening: Django's deployment checks, the Content-Security-Policy, and the security headers
and cookies as a production configuration (settings defaults, no test overrides) serves them."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from csp.constants import NONCE
from csp.utils import build_policy
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET_KEY = "pX7#kQ2!vN9@mR4$wT6^yB8&zC1*dF3(gH5)jK0_lM2+nP4=qS6-uV8~xZ"
PUBLIC_PATHS = [
    "/en/",
    "/ar/",
    "/fr/objectives/17/",
    "/en/accounts/login/",
    "/en/no-such-page/",
    "/en/admin/login/",
]


def production_env(**extra: str) -> dict[str, str]:
    """A production process environment: only what an operator would set, so every SECURE_* value and cookie
    flag comes from the settings' own defaults (the test run's relaxations are left out on purpose)."""
    assert len(PRODUCTION_SECRET_KEY) >= 50
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "gcm_portal.settings",
        "DEBUG": "false",
        "SECRET_KEY": PRODUCTION_SECRET_KEY,
        "ALLOWED_HOSTS": "portal.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://portal.example.org",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
        "CACHE_KEY_PREFIX": f"{os.environ.get('CACHE_KEY_PREFIX', 'gcm-test')}-production-check",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        **extra,
    }


def test_deploy_checks_are_clean_in_production_configuration():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


SETTINGS_PROBE = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({"DEBUG": settings.DEBUG, "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
                  "demo_key": settings.SECRET_KEY.startswith("insecure-demo-key")}))
"""


def run_settings_probe(**variables: str) -> subprocess.CompletedProcess:
    """Import the settings in a process that has only `variables` (no DEBUG, no DATABASE_URL unless given)."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "gcm_portal.settings",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_debug_is_off_when_unset_even_without_a_database_url():
    result = run_settings_probe(SECRET_KEY=PRODUCTION_SECRET_KEY)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout) == {"DEBUG": False, "ALLOWED_HOSTS": [], "demo_key": False}


def test_a_missing_secret_key_is_named_in_the_error_when_debug_is_unset():
    result = run_settings_probe(DATABASE_URL="postgres://postgres@127.0.0.1:5432/gcm_portal")
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set the SECRET_KEY environment variable" in result.stderr
    result = run_settings_probe(DATABASE_URL="postgres://postgres@127.0.0.1:5432/gcm_portal", DEBUG="false")
    assert "ImproperlyConfigured: Set the SECRET_KEY environment variable" in result.stderr


def test_a_bare_checkout_is_the_demo():
    # Nothing configured at all: manage.py must work (SQLite, the built-in key, loopback hosts only).
    result = run_settings_probe()
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout) == {
        "DEBUG": True,
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost"],
        "demo_key": True,
    }


def test_the_demo_runs_with_its_built_in_key_only_when_debug_is_asked_for():
    # `make demo`'s environment: DEBUG=true, empty DATABASE_URL and REDIS_URL, no SECRET_KEY.
    result = run_settings_probe(DEBUG="true", DATABASE_URL="", REDIS_URL="")
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout) == {
        "DEBUG": True,
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost"],
        "demo_key": True,
    }


def test_the_registration_lock_cannot_be_disabled_from_the_environment():
    source = (ROOT / "gcm_portal" / "settings.py").read_text()
    assert re.search(r"^REGISTRATION_LOCK_DISABLED = False$", source, re.MULTILINE)
    assert '"REGISTRATION_LOCK_DISABLED"' not in source


# --- The open-data API takes no credentials ------------------------------------------------------------


def basic_header(username: str, password: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["correct-horse-battery", "wrong-password"])
@pytest.mark.parametrize("path", ["/api/reviews/", "/api/events/", "/api/pledges/"])
def test_api_ignores_basic_credentials(client, user, password, path):
    """Basic authentication would make the API an oracle for e-mail/password pairs outside allauth's rate
    limits: the header is ignored, so a right password and a wrong one get the same anonymous answer."""
    assert user.check_password("correct-horse-battery")
    for username in (user.username, user.email):
        response = client.get(path, HTTP_AUTHORIZATION=basic_header(username, password))
        assert response.status_code == 200
        assert "results" in response.json()
        assert response.renderer_context["request"].user.is_authenticated is False
        assert "WWW-Authenticate" not in response


def test_api_has_no_authentication_classes():
    from rest_framework.settings import api_settings

    assert api_settings.DEFAULT_AUTHENTICATION_CLASSES == []


# --- Sign-up and password-reset rate limits --------------------------------------------------------------


def post_signup(client, email: str, *, lang: str = "fr", address: str = "203.0.113.7"):
    password = "Migration-Compact-2018"
    return client.post(
        f"/{lang}/accounts/signup/",
        {"email": email, "password1": password, "password2": password},
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_signup_is_refused_after_five_in_ten_minutes_from_one_address(client, mailoutbox):
    from django.contrib.auth import get_user_model

    for number in range(5):
        response = post_signup(client, f"person{number}@example.org")
        assert response.status_code == 302, response.content.decode()[:2000]
    response = post_signup(client, "sixth@example.org")
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Trop de tentatives</h1>" in html
    assert '<html lang="fr"' in html
    assert not get_user_model().objects.filter(email="sixth@example.org").exists()
    assert len(mailoutbox) == 5
    # Another address is not held back by this one.
    assert post_signup(client, "elsewhere@example.org", address="198.51.100.9").status_code == 302


@pytest.mark.django_db
def test_signup_limit_message_in_arabic(client):
    for number in range(5):
        post_signup(client, f"person{number}@example.org", lang="ar")
    response = post_signup(client, "sixth@example.org", lang="ar")
    assert response.status_code == 429
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert "Too many attempts" not in response.content.decode()


@pytest.mark.django_db
def test_password_reset_is_limited_per_address_and_per_ip(client, mailoutbox, settings):
    def reset(email: str, address: str = "203.0.113.7"):
        return client.post("/en/accounts/password/reset/", {"email": email}, REMOTE_ADDR=address)

    for _attempt in range(5):
        assert reset("target@example.org", address="203.0.113.7")["Location"].endswith("/reset/done/")
    # A sixth reset for the same inbox within the hour is refused, from any address.
    assert reset("target@example.org", address="198.51.100.9").status_code == 429
    assert reset("someone.else@example.org", address="198.51.100.9").status_code == 302
    # And one address cannot go through many inboxes either: 20 an hour, the five above included.
    for number in range(15):
        assert reset(f"inbox{number}@example.org").status_code == 302
    assert reset("one.more@example.org").status_code == 429


def test_rate_limits_as_configured(settings):
    assert settings.ACCOUNT_RATE_LIMITS["signup"] == "5/10m/ip"
    assert settings.ACCOUNT_RATE_LIMITS["reset_password"] == "20/h/ip,5/h/key"
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"


PROBE = """
import json
import django
django.setup()
from django.test import Client

client = Client(HTTP_HOST="portal.example.org")
plain = client.get("/en/")
secure = client.get("/en/", secure=True)
login = client.get("/en/accounts/login/", secure=True)
healthz = client.get("/healthz")
cookie = login.cookies["csrftoken"]
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "secure_status": secure.status_code,
    "headers": dict(secure.headers),
    "csrf_cookie": {"secure": bool(cookie["secure"]), "samesite": cookie["samesite"]},
    "healthz": [healthz.status_code, healthz.content.decode()],
}))
from django.conf import settings
print(json.dumps({"SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
                  "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY}))
"""


@pytest.fixture
def production_responses(transactional_db) -> tuple[dict, dict]:
    """Requests answered by a separate process configured as production. It reads the test database, so the
    data it needs (reference data, the Site) must be committed: these tests are transactional, with the
    migrated data restored (serialized rollback)."""
    database = connection.settings_dict["NAME"]
    url = re.sub(r"/[^/?]+(\?|$)", rf"/{database}\1", os.environ["DATABASE_URL"].rstrip("/"), count=1)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=production_env(DATABASE_URL=url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    return json.loads(lines[-2]), json.loads(lines[-1])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_https_redirect_spares_only_the_health_probe(production_responses):
    responses, _settings = production_responses
    assert responses["plain"] == [301, "https://portal.example.org/en/"]
    assert responses["secure_status"] == 200
    assert responses["healthz"] == [200, '{"status": "ok"}']


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_production_security_headers_and_cookies(production_responses):
    responses, values = production_responses
    headers = responses["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "object-src 'none'" in headers["Content-Security-Policy"]
    assert responses["csrf_cookie"] == {"secure": True, "samesite": "Lax"}
    assert values == {"SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_HTTPONLY": True}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_every_page_sends_a_strict_csp(client, path):
    response = client.get(path)
    assert response.status_code in (200, 302, 404)
    directives = csp_directives(response["Content-Security-Policy"])
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_admin_pages_get_the_same_strict_csp(client, superuser):
    client.force_login(superuser)
    response = client.get("/en/admin/reviews/objective/17/change/")
    assert response.status_code == 200
    directives = csp_directives(response["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    html = response.content.decode()
    # modeltranslation's tabs load jQuery UI from the portal itself, never from a CDN the CSP would block.
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in html
    assert "googleapis" not in html


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.IGNORECASE
)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style[\s>]", re.IGNORECASE)


def project_templates() -> list[Path]:
    """Templates browsers render under the CSP. PDF (WeasyPrint) and e-mail templates never reach a browser
    with the portal's headers, and need their styles inline."""
    skip = {".venv", "staticfiles", "var", "test-artifacts", ".git", "node_modules", "pdf", "email", "emails"}
    return [
        path
        for path in ROOT.rglob("*.html")
        if not skip.intersection(path.relative_to(ROOT).parts) and "templates" in path.parts
    ]


def test_templates_found():
    names = {path.relative_to(ROOT).as_posix() for path in project_templates()}
    assert {"templates/base.html", "templates/home.html"} <= names


@pytest.mark.parametrize(
    "pattern", [INLINE_SCRIPT, INLINE_HANDLER, INLINE_STYLE], ids=["script", "handler", "style"]
)
def test_no_template_needs_inline_script_or_style(pattern):
    """The CSP would block them in the browser; catching them here names the file."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in project_templates()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PATHS)
def test_rendered_pages_carry_no_inline_script_or_style(client, path):
    html = client.get(path).content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert not INLINE_HANDLER.search(html)
    assert not INLINE_STYLE.search(html)


def run_csp_middleware(response: HttpResponse, *, path: str = "/en/", view=None) -> HttpResponse:
    from gcm_portal.csp import CSPMiddleware

    request = RequestFactory().get(path)
    middleware = CSPMiddleware(lambda req: view(req) if view else response)
    middleware.process_request(request)
    return middleware.process_response(request, view(request) if view else response)


def test_built_once_header_equals_django_csps_own():
    response = run_csp_middleware(HttpResponse("ok"))
    assert csp_directives(response["Content-Security-Policy"]) == csp_directives(build_policy())
    assert "Content-Security-Policy-Report-Only" not in response


def test_per_view_policy_still_goes_through_django_csp():
    response = HttpResponse("ok")
    response._csp_update = {"img-src": ["https://tiles.example.org"]}
    directives = csp_directives(run_csp_middleware(response)["Content-Security-Policy"])
    assert directives["img-src"] == ["'self'", "data:", "https://tiles.example.org"]


def test_a_nonce_used_by_the_page_is_in_its_header():
    def view(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}' src='/static/x.js'></script>")

    # The portal's own policy has no nonce placeholder; a policy that asks for one must still get it.
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"script-src": ["'self'", NONCE]}}):
        response = run_csp_middleware(HttpResponse(), view=view)
    nonce = re.search(r"nonce='([^']+)'", response.content.decode()).group(1)
    assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]


def test_changed_settings_change_the_header():
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert run_csp_middleware(HttpResponse("ok"))["Content-Security-Policy"] == "default-src 'none'"
    assert "object-src 'none'" in run_csp_middleware(HttpResponse("ok"))["Content-Security-Policy"]


def test_exempt_responses_get_no_header():
    response = HttpResponse("ok")
    response._csp_exempt = True
    assert "Content-Security-Policy" not in run_csp_middleware(response)
