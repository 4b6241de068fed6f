"""No overbooking under concurrency: many people register at once, over HTTP, against a live server on
PostgreSQL; each request runs in its own server thread with its own database connection."""

import http.client
import os
import threading
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils.crypto import get_random_string

from consultations.models import Registration

from .factories import ConsultationFactory, ProfileFactory

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PEOPLE = 60
SEATS = 10

os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")


@pytest.fixture(scope="module")
def live_server():
    """pytest-django's live server, built with a placeholder MEDIA_URL: the settings have none (uploads have no
    public URL) and the live server's media handler cannot be built without one."""
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    # Sixty people knock at once: with the default listen backlog of 10 the kernel would turn some away
    # before the server thread accepts them, and the test would measure that instead of the seat rule.
    backlog = ThreadedWSGIServer.request_queue_size
    ThreadedWSGIServer.request_queue_size = 4 * PEOPLE
    try:
        with override_settings(MEDIA_URL="/__uploads-have-no-public-url__/"):
            server = LiveServer(os.environ["DJANGO_LIVE_TEST_SERVER_ADDRESS"])
    finally:
        ThreadedWSGIServer.request_queue_size = backlog
    yield server
    server.stop()


def _session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _race(live_server) -> tuple[int, list]:
    consultation = ConsultationFactory(capacity=SEATS)
    people = [ProfileFactory().user for _ in range(PEOPLE)]
    sessions = [_session_cookie(user) for user in people]
    target = urlsplit(live_server.url)
    path = reverse("consultations:register", kwargs={"slug": consultation.slug})
    start = threading.Barrier(PEOPLE)
    outcomes: list = []

    def register(session_key: str) -> None:
        csrf = get_random_string(32)
        connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        try:
            connection.connect()
            start.wait()
            connection.request(
                "POST",
                path,
                body="interpretation_language=",
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
                    "X-CSRFToken": csrf,
                },
            )
            response = connection.getresponse()
            response.read()
            outcomes.append(response.status)
        except Exception as exc:  # every failure is reported by the assertion below
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(key,)) for key in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    confirmed = Registration.objects.filter(
        consultation=consultation, status=Registration.Status.CONFIRMED
    ).count()
    return confirmed, outcomes


def test_concurrent_registrations_never_overbook(live_server):
    confirmed, outcomes = _race(live_server)
    assert outcomes == [302] * PEOPLE, Counter(outcomes)
    assert confirmed == SEATS
    assert Registration.objects.filter(status=Registration.Status.WAITLISTED).count() == PEOPLE - SEATS
    positions = sorted(Registration.objects.filter(status="waitlisted").values_list("waitlisted_at", "id"))
    assert len(set(positions)) == PEOPLE - SEATS


def test_control_without_the_lock_overbooks(live_server, settings):
    """The same race with the lock and the database backstop switched off must overbook: proof that the test
    above can see a race at all. (The unlocked path sleeps 20 ms between counting and saving, only under this
    test-only setting, so the window is wide enough on any machine.)"""
    settings.REGISTRATION_LOCK_DISABLED = True
    confirmed, outcomes = _race(live_server)
    assert outcomes == [302] * PEOPLE, Counter(outcomes)
    assert confirmed > SEATS
