"""Whole-page caching for public pages, per language, invalidated by bumping a namespace version.

Usage::

    @cache_public_page("reference")
    def home(request): ...

    # in a service, inside its transaction, after changing content shown on those pages:
    bump_cache_version(namespace="reference")

The decorator only marks a view's responses as shareable; `PublicPageCacheMiddleware` stores and serves them.
It sits right after the security and CSP middleware, so a hit skips sessions, locale, CSRF, authentication,
messages and URL resolution: a cached page costs little more than a bare Django response. The language is
the path's prefix (every cached view is under `i18n_patterns`), so the full path with its query string is
the key.

A page is stored with the namespace and the namespace version it was built under, and the headers the inner
middleware gave it (Content-Language, Vary, X-Frame-Options). One round trip to the cache (get_many) fetches
the page and the version of every namespace; a hit counts only when the stored version is the current one:
bumping the version makes every page of the namespace miss at once, without having to know or delete their
keys, and each page is overwritten in place when next built. Versions are read before the view runs and
bumped only after the surrounding transaction commits, so a request that runs between a change and its
commit cannot store the old content as current.

Only visitors without a session or pending messages are served from (and fill) the cache: anything personal
(a logged-in header, a flash message, a CSRF token) lives in a session or sets a cookie, and such responses
are never stored.
"""

import functools
import hashlib
import time
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

# A cap on staleness for changes that no service announces (e.g. dates that pass): pages are rebuilt at least
# this often even without a bump.
DEFAULT_TIMEOUT = 600

_MESSAGES_COOKIE = "messages"
# Namespaces of every decorated view, filled at import time: the middleware fetches their versions together
# with the page, before it knows which view the path belongs to.
_NAMESPACES: set[str] = set()
# Set on a response by the decorator: (namespace, timeout).
_MARK = "_public_page_cache"


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


def _page_key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"pagecache:page:{path}"


def cache_public_page(namespace: str, *, timeout: int = DEFAULT_TIMEOUT) -> Callable:
    """View decorator: let PublicPageCacheMiddleware keep this view's anonymous GET responses, per full path
    (language prefix and query string included), until `namespace` is bumped or `timeout` seconds pass."""
    _NAMESPACES.add(namespace)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if _is_cacheable_request(request):
                setattr(response, _MARK, (namespace, timeout))
                # Logged-in visitors see a different header on the same URL: shared caches must tell them apart.
                patch_vary_headers(response, ("Cookie",))
            return response

        return wrapped

    return decorator


class PublicPageCacheMiddleware:
    """Serve and store the pages of views decorated with `cache_public_page`.

    Side effects: reads and writes the default cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Import the views now, so that their namespaces are known from the first request on.
        import_module(settings.ROOT_URLCONF)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_cacheable_request(request):
            return self.get_response(request)
        page_key = _page_key(request)
        namespaces = sorted(_NAMESPACES)
        found = cache.get_many([page_key, *map(_version_key, namespaces)])
        stored = found.get(page_key)
        if stored is not None:
            namespace, version, content, headers = stored
            if found.get(_version_key(namespace)) == version:
                response = HttpResponse(content)
                for name, value in headers:
                    response[name] = value
                return response
        versions = {
            namespace: found.get(_version_key(namespace)) or get_cache_version(namespace)
            for namespace in namespaces
        }
        response = self.get_response(request)
        mark = getattr(response, _MARK, None)
        # A namespace first seen during this request (its module imported by it) has no version read
        # before the view ran: the next request stores the page.
        if mark is not None and mark[0] in versions and _is_cacheable_response(request, response):
            namespace, timeout = mark
            cache.set(
                page_key, (namespace, versions[namespace], response.content, list(response.items())), timeout
            )
        return response
