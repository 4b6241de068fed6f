"""Whole-page caching for public pages, per language, invalidated by bumping a namespace version.

Usage::

    @cache_public_page("reference")
    def home(request): ...

    # in a service, inside its transaction, after changing content shown on those pages:
    bump_cache_version(namespace="reference")

A page is cached under (namespace, language, path with query string) together with the namespace version it
was built under. A hit needs both in one round trip to the cache (get_many), and counts only when the stored
version is the current one: bumping the version makes every page of the namespace miss at once, without
having to know or delete their keys, and each page is overwritten in place when next built. The version is
bumped only after the surrounding transaction commits, so a request that runs between the change and the
commit cannot store the old content as current.

Only visitors without a session or pending messages are served from (and fill) the cache: anything personal
(a logged-in header, a flash message, a CSRF token) lives in a session or sets a cookie, and such responses
are never stored.
"""

import functools
import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

# A cap on staleness for changes that no service announces (e.g. dates that pass): pages are rebuilt at least
# this often even without a bump.
DEFAULT_TIMEOUT = 600

_MESSAGES_COOKIE = "messages"


def _version_key(namespace: str) -> str:
    return f"pagecache:{namespace}:version"


def get_cache_version(namespace: str) -> int:
    """The current version of `namespace`, starting it if the cache has none (first use, or evicted)."""
    key = _version_key(namespace)
    version = cache.get(key)
    if version is None:
        # A clock-based start, not 1: if the version key is evicted while pages stay, counting again from 1
        # could reach the version an old page was stored with, and serve it.
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
    return version


def bump_cache_version(*, namespace: str) -> None:
    """Invalidate every cached page of `namespace`.

    Side effects: after the current transaction commits (at once outside one), increments the namespace's
    version in the cache.
    """

    def bump() -> None:
        key = _version_key(namespace)
        try:
            cache.incr(key)
        except ValueError:
            cache.add(key, time.time_ns(), timeout=None)

    transaction.on_commit(bump)


def _is_cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and _MESSAGES_COOKIE not in request.COOKIES
    )


def _is_cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A page that rendered {% csrf_token %} carries a token tied to a cookie it is about to set.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # never_cache / cache_control(private=True) on the view means it opted out.
        and not response.has_header("Cache-Control")
    )


def _page_key(namespace: str, request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"pagecache:{namespace}:{get_language()}:{path}"


def cache_public_page(namespace: str, *, timeout: int = DEFAULT_TIMEOUT) -> Callable:
    """View decorator: serve anonymous GET/HEAD requests from the cache, per language and full path.

    Side effects: reads and writes the default cache.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _is_cacheable_request(request):
                return view(request, *args, **kwargs)
            version_key, page_key = _version_key(namespace), _page_key(namespace, request)
            found = cache.get_many([version_key, page_key])
            version = found.get(version_key)
            if version is None:
                version = get_cache_version(namespace)
            stored = found.get(page_key)
            if stored is not None and stored[0] == version:
                _version, content, content_type = stored
                response = HttpResponse(content, content_type=content_type)
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if _is_cacheable_response(request, response):
                    cache.set(page_key, (version, response.content, response["Content-Type"]), timeout)
            # Logged-in visitors see a different header on the same URL: shared caches must tell them apart.
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapped

    return decorator
