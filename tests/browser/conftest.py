"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

pytest-playwright provides `playwright`, `browser`, `context` and `page`; this file points its launch at
/usr/bin/chromium (never `playwright install`: no browser downloads), gives every context the live server as
base URL, and wraps `page` so that each test fails if the page broke the Content-Security-Policy or failed to
load one of its own assets. `screenshot(step, lang)` saves test-artifacts/screenshots/<test>/<step>-<lang>.png.

Use the `page` fixture and mark the module `pytest.mark.browser`; the live server and a transactional
database with the migrated reference data come with it.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Loopback only, and an address Chromium cannot resolve to ::1 while the server listens on IPv4.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, started with a placeholder MEDIA_URL.

    Settings set MEDIA_URL = None (uploads have no public URL), but Django's live server thread wraps the
    site in a media-files handler that parses MEDIA_URL and fails on None. The placeholder exists only while
    that handler is built; nothing links to it, and the rest of the run sees MEDIA_URL = None.
    """
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    with override_settings(MEDIA_URL="/__uploads-have-no-public-url__/"):
        server = LiveServer(os.environ["DJANGO_LIVE_TEST_SERVER_ADDRESS"])
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def _serialized_reference_data_in_every_context(django_db_setup, django_db_blocker):
    """Let serialized rollback restore the migrated data whichever connection object a test ends up with.

    Django keeps its connections in context-local storage. Once Playwright runs its event loop, code in the
    tests can see a different context from the one the test database was set up in, hence a fresh connection
    object without the `_test_serialized_contents` that serialized rollback reloads after each flush: the
    reference data loaded by migration would be gone after the first browser test. Kept on the connection
    class for the session, the contents are found from any of them.
    """
    from django.db import connections

    with django_db_blocker.unblock():
        connection = connections["default"]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is None:
        yield
        return
    wrapper_class = type(connection)
    wrapper_class._test_serialized_contents = contents
    yield
    del wrapper_class._test_serialized_contents


@pytest.fixture(scope="session")
def playwright(playwright):
    # Playwright's sync API keeps an asyncio loop running in the main thread, so Django's guard against ORM
    # calls from async code would refuse every query in these tests and in any test run after them. Nothing
    # here is async code: the guard has no work to do while Playwright lives.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield playwright
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict, live_server) -> dict:
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "viewport": {"width": 1280, "height": 900},
        "locale": "en-GB",
        "timezone_id": "UTC",
    }


class PageProblems:
    """What went wrong on a page, collected from Chromium's console and network events."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.csp_violations: list[str] = []
        self.broken_assets: list[str] = []
        self.script_errors: list[str] = []

    def on_console(self, message) -> None:
        # Chromium reports every blocked script, style, font, frame or connection on the console.
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_violations.append(message.text)

    def on_response(self, response) -> None:
        request = response.request
        if (
            request.resource_type != "document"
            and response.url.startswith(self.origin)
            and response.status >= 400
        ):
            self.broken_assets.append(f"{response.status} {response.url}")

    def on_request_failed(self, request) -> None:
        # ERR_ABORTED is the browser cancelling a request itself, e.g. an icon still loading when a click
        # navigates away: not a broken asset. A missing file comes back as a 4xx response (on_response).
        if (
            request.resource_type != "document"
            and request.url.startswith(self.origin)
            and "ERR_ABORTED" not in (request.failure or "")
        ):
            self.broken_assets.append(f"{request.failure} {request.url}")

    def on_page_error(self, error) -> None:
        self.script_errors.append(str(error))

    def clear(self) -> None:
        self.csp_violations.clear()
        self.broken_assets.clear()
        self.script_errors.clear()


@pytest.fixture
def page_problems(live_server) -> PageProblems:
    return PageProblems(live_server.url)


@pytest.fixture
def page(context, page_problems: PageProblems, django_db_serialized_rollback) -> Iterator:
    # serialized_rollback: transactional tests empty every table afterwards, and the reference data
    # (objectives, thematic areas, …) arrives by migration, so it is restored before each browser test.
    new_page = context.new_page()
    new_page.on("console", page_problems.on_console)
    new_page.on("response", page_problems.on_response)
    new_page.on("requestfailed", page_problems.on_request_failed)
    new_page.on("pageerror", page_problems.on_page_error)
    yield new_page
    assert page_problems.csp_violations == [], "Content-Security-Policy violations"
    assert page_problems.broken_assets == [], "assets that failed to load"
    assert page_problems.script_errors == [], "uncaught JavaScript errors"


@pytest.fixture
def screenshot(page, request) -> Callable[[str, str], Path]:
    """`screenshot("home", "ar")` → test-artifacts/screenshots/<test>/home-ar.png (whole page, fonts loaded)."""
    test_name = re.sub(r"[^\w.-]+", "_", request.node.originalname)

    def take(step: str, lang: str) -> Path:
        path = SCREENSHOTS / test_name / f"{step}-{lang}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def log_in(live_server) -> Callable:
    """`log_in(page, user)`: the browser context carries a session of `user` (no login form to go through)."""
    from django.conf import settings
    from django.test import Client

    def attach(page, user) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )

    return attach


@pytest.fixture
def tasks_run_in_the_server():
    """Celery tasks queued by the live server run there, right after the commit that queued them (e-mails land
    in mail.outbox, PDFs are rendered before the next page load) and nothing is left in the Redis broker."""
    from gcm_portal.celery import app as celery_app

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
