"""The public dashboard's cache. Its data are cached per language under a version number: any change to a
pledge bumps the version, so every language's entry is replaced at once without deleting keys by pattern."""

from django.core.cache import cache

VERSION_KEY = "pledges:dashboard:version"
DASHBOARD_TIMEOUT = 60 * 60 * 24


def dashboard_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def bump_dashboard_version() -> None:
    """Side effects: increments the version in the shared cache (atomic in Redis)."""
    cache.add(VERSION_KEY, 1, timeout=None)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        # The key expired or was evicted between add and incr: any fresh value invalidates old entries.
        cache.set(VERSION_KEY, 2, timeout=None)
