import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from gcm_portal.cache import (
    PublicPageCacheMiddleware,
    bump_cache_version,
    cache_public_page,
    get_cache_version,
)
from reviews.models import Objective, ThematicArea

pytestmark = pytest.mark.django_db


def test_second_anonymous_visit_is_served_without_queries(client, django_assert_num_queries):
    first = client.get("/en/")
    with django_assert_num_queries(0):
        second = client.get("/en/")
    assert second.status_code == 200
    assert second.content == first.content
    assert "Eliminate all forms of discrimination" in second.content.decode()
    assert "Cookie" in second["Vary"]


def test_a_hit_keeps_the_headers_of_the_page_and_of_the_outer_middleware(client):
    first = client.get("/ar/")
    second = client.get("/ar/")
    assert second.content == first.content
    # Set by the inner middleware when the page was built, stored with it.
    for header in ("Content-Type", "Content-Language", "Vary", "X-Frame-Options"):
        assert second[header] == first[header]
    assert second["Content-Language"] == "ar"
    # Added on every response by the middleware in front of the cache.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Content-Type-Options"] == "nosniff"


def test_a_hit_skips_sessions_authentication_and_url_resolution(client, monkeypatch):
    client.get("/en/")
    calls = []
    monkeypatch.setattr(
        "django.contrib.sessions.middleware.SessionMiddleware.process_request",
        lambda *a: calls.append("session"),
    )
    monkeypatch.setattr("django.urls.resolvers.URLResolver.resolve", lambda *a: calls.append("resolve"))
    assert "Eliminate all forms of discrimination" in client.get("/en/").content.decode()
    assert calls == []


def test_a_page_of_a_bumped_namespace_is_rebuilt_not_served(django_capture_on_commit_callbacks):
    calls = []

    @cache_public_page("test-ns")
    def view(request):
        calls.append(1)
        return HttpResponse(f"build {len(calls)}")

    view = PublicPageCacheMiddleware(view)
    factory = RequestFactory()
    assert view(factory.get("/en/y/")).content == b"build 1"
    assert view(factory.get("/en/y/")).content == b"build 1"
    with django_capture_on_commit_callbacks(execute=True):
        bump_cache_version(namespace="test-ns")
    assert view(factory.get("/en/y/")).content == b"build 2"
    assert view(factory.get("/en/y/")).content == b"build 2"


def test_undecorated_pages_are_never_stored():
    calls = []

    def view(request):
        calls.append(1)
        return HttpResponse("personal")

    view = PublicPageCacheMiddleware(view)
    factory = RequestFactory()
    view(factory.get("/en/z/"))
    view(factory.get("/en/z/"))
    assert calls == [1, 1]


def test_each_language_has_its_own_copy(client):
    client.get("/en/")
    client.get("/fr/")
    arabic = client.get("/ar/").content.decode()
    french = client.get("/fr/").content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    assert '<html lang="fr" dir="ltr">' in french
    assert "Éliminer toutes les formes de discrimination" in french


def test_query_string_is_part_of_the_key():
    calls = []

    @cache_public_page("test-ns")
    def view(request):
        calls.append(request.GET.get("page"))
        return HttpResponse(f"page {request.GET.get('page')}")

    view = PublicPageCacheMiddleware(view)
    factory = RequestFactory()
    assert view(factory.get("/en/list/?page=1")).content == b"page 1"
    assert view(factory.get("/en/list/?page=2")).content == b"page 2"
    assert view(factory.get("/en/list/?page=1")).content == b"page 1"
    assert calls == ["1", "2"]


def test_logged_in_visitors_are_never_served_or_stored(client, user):
    anonymous = client.get("/en/").content.decode()
    client.force_login(user)
    personal = client.get("/en/").content.decode()
    assert "Log out" in personal and "Log out" not in anonymous
    client.logout()
    assert "Log out" not in client.get("/en/").content.decode()


def test_responses_that_set_cookies_or_opt_out_are_not_stored():
    calls = []

    @cache_public_page("test-ns")
    def sets_cookie(request):
        calls.append("cookie")
        response = HttpResponse("hello")
        response.set_cookie("tracking", "1")
        return response

    @cache_public_page("test-ns")
    def not_found(request):
        calls.append("404")
        return HttpResponse("missing", status=404)

    sets_cookie, not_found = PublicPageCacheMiddleware(sets_cookie), PublicPageCacheMiddleware(not_found)
    factory = RequestFactory()
    for _ in range(2):
        sets_cookie(factory.get("/en/cookie/"))
        not_found(factory.get("/en/missing/"))
    assert calls == ["cookie", "404", "cookie", "404"]


def test_post_requests_bypass_the_cache():
    calls = []

    @cache_public_page("test-ns")
    def view(request):
        calls.append(request.method)
        return HttpResponse("ok")

    view = PublicPageCacheMiddleware(view)
    factory = RequestFactory()
    view(factory.get("/en/x/"))
    view(factory.post("/en/x/"))
    view(factory.get("/en/x/"))
    assert calls == ["GET", "POST"]


def test_saving_an_objective_refreshes_the_home_page(client, django_capture_on_commit_callbacks):
    client.get("/en/")
    objective = Objective.objects.get(number=17)
    objective.title_en = "Eliminate discrimination (edited title)"
    with django_capture_on_commit_callbacks(execute=True):
        objective.save()
    assert "Eliminate discrimination (edited title)" in client.get("/en/").content.decode()


def test_regrouping_objectives_refreshes_the_home_page(client, django_capture_on_commit_callbacks):
    area = ThematicArea.objects.get(number=1)
    before = client.get("/en/").content.decode().count('class="objective-number"')
    with django_capture_on_commit_callbacks(execute=True):
        area.objectives.add(Objective.objects.exclude(thematic_areas=area).first())
    assert client.get("/en/").content.decode().count('class="objective-number"') == before + 1


def test_bump_waits_for_the_transaction_to_commit(django_capture_on_commit_callbacks):
    version = get_cache_version("reference")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        bump_cache_version(namespace="reference")
    assert get_cache_version("reference") == version
    callbacks[0]()
    assert get_cache_version("reference") == version + 1


def test_a_lost_version_key_never_revives_old_pages(django_capture_on_commit_callbacks):
    calls = []

    @cache_public_page("test-ns")
    def view(request):
        calls.append(1)
        return HttpResponse(f"build {len(calls)}")

    view = PublicPageCacheMiddleware(view)
    factory = RequestFactory()
    assert view(factory.get("/en/x/")).content == b"build 1"
    old = get_cache_version("test-ns")
    # An evicted version key restarts from the clock, above any version a stored page carries.
    cache.delete("pagecache:test-ns:version")
    assert view(factory.get("/en/x/")).content == b"build 2"
    assert get_cache_version("test-ns") > old
    assert view(factory.get("/en/x/")).content == b"build 2"
    cache.delete("pagecache:test-ns:version")
    with django_capture_on_commit_callbacks(execute=True):
        bump_cache_version(namespace="test-ns")
    assert view(factory.get("/en/x/")).content == b"build 3"


def test_the_redis_backend_reuses_its_client():
    backend = cache._cache
    assert backend.get_client() is backend.get_client()
    assert backend.get_client(write=True) is backend.get_client()
    cache.set("reuse-check", {"a": 1}, 30)
    assert cache.get_many(["reuse-check", "missing"]) == {"reuse-check": {"a": 1}}


def test_review_page_is_cached_and_refreshed_when_an_event_changes(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from tests.factories import ReviewEventFactory

    with django_capture_on_commit_callbacks(execute=True):
        event = ReviewEventFactory(title_en="Regional dialogue before the edit")
    url = event.review.get_absolute_url()
    assert "Regional dialogue before the edit" in client.get(url).content.decode()
    with django_assert_num_queries(0):
        client.get(url)
    event.title_en = "Regional dialogue after the edit"
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    page = client.get(url).content.decode()
    assert "Regional dialogue after the edit" in page and "before the edit" not in page


def test_objective_page_is_cached_per_language(client, django_assert_num_queries):
    english = client.get("/en/objectives/17/").content.decode()
    arabic = client.get("/ar/objectives/17/").content.decode()
    with django_assert_num_queries(0):
        assert client.get("/en/objectives/17/").content.decode() == english
        assert client.get("/ar/objectives/17/").content.decode() == arabic
    assert 'dir="rtl"' in arabic and 'dir="ltr"' in english
