import pytest
from django.utils import translation

from stakeholders import personal_data

# The browser harness (Chromium, live server, CSP and broken-asset checks) for test_browser.py; imported
# fixtures are only set up for the tests that ask for them.
from tests.browser.conftest import (  # noqa: F401
    browser_context_args,
    browser_type_launch_args,
    live_server,
    page,
    page_problems,
    playwright,
    screenshot,
)


@pytest.fixture
def registry():
    """Lets a test register exporters/erasers without leaking them (or losing the apps' own) afterwards."""
    exporters, erasers = dict(personal_data._exporters), dict(personal_data._erasers)
    yield personal_data
    personal_data._exporters.clear()
    personal_data._exporters.update(exporters)
    personal_data._erasers.clear()
    personal_data._erasers.update(erasers)


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # A request in another language leaves that language active in the thread; reverse() outside a
    # request must not depend on which test ran before.
    with translation.override("en"):
        yield
