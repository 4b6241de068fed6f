import socket
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.factories import StaffUserFactory, UserFactory

pytest_plugins = ("celery.contrib.pytest",)


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=3):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    """The suite runs against real PostgreSQL and Redis; a missing service fails loudly, never skips."""
    problems = []
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        problems.append(f"DATABASE_URL must point at PostgreSQL, got engine {db['ENGINE']}.")
    elif not _reachable(f"postgres://{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}", 5432):
        problems.append(
            "PostgreSQL is not reachable at DATABASE_URL. Start it with:\n"
            "  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        )
    if not settings.REDIS_URL or not _reachable(settings.REDIS_URL, 6379):
        problems.append(
            "Redis is not reachable at REDIS_URL. Start it with:\n"
            '  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'
        )
    if problems:
        pytest.exit("Test services missing:\n" + "\n".join(problems), returncode=3)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate-limit counters and page caches live in the shared cache; every test starts from a clean one.
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    # A request through the test client leaves its language active in the thread (LocaleMiddleware does not
    # reset it): every test starts, and ends, in the default language so order never changes a result.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in the test's process. The Celery app reads Django's settings once, when first used, so
    overriding CELERY_TASK_ALWAYS_EAGER afterwards would depend on test order: set the app's own flag."""
    from gcm_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return StaffUserFactory()


@pytest.fixture
def superuser(db):
    return StaffUserFactory(is_superuser=True)


@pytest.fixture(scope="session")
def celery_config():
    return {
        "broker_url": settings.REDIS_URL,
        "result_backend": settings.REDIS_URL,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
    }


@pytest.fixture(scope="session")
def celery_includes():
    return ["gcm_portal.celery"]
