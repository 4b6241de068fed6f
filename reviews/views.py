import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, get_language_bidi

from gcm_portal.cache import cache_public_page

from . import exports
from .coverage import build_matrix
from .filters import TimelineFilter
from .models import Objective, RegionalReview
from .review_links import links_for_review
from .selectors import (
    get_objective,
    get_review_for_viewer,
    group_by_phase,
    list_published_reviews,
    list_review_organizations,
    list_thematic_areas_with_objectives,
    timeline_events,
)
from .visual import build_chart

# Namespaces of the page cache (gcm_portal.cache): gcm_portal.signals bumps them when what the pages show
# changes. Only anonymous visitors are served from the cache.
REFERENCE_PAGES = "reference"
REVIEW_PAGES = "reviews"


@cache_public_page(REFERENCE_PAGES)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"thematic_areas": list_thematic_areas_with_objectives()})


@cache_public_page(REFERENCE_PAGES)
def objective_detail(request: HttpRequest, number: int) -> HttpResponse:
    try:
        objective = get_objective(number=number)
    except Objective.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "reviews/objective_detail.html", {"objective": objective})


def _review_or_404(request: HttpRequest, slug: str) -> RegionalReview:
    try:
        return get_review_for_viewer(slug=slug, user=request.user)
    except RegionalReview.DoesNotExist as exc:
        raise Http404 from exc


@cache_public_page(REVIEW_PAGES)
def review_list(request: HttpRequest) -> HttpResponse:
    reviews = list_published_reviews().prefetch_related("organization_links__organization")
    return render(request, "reviews/review_list.html", {"reviews": reviews})


@cache_public_page(REVIEW_PAGES)
def review_detail(request: HttpRequest, slug: str) -> HttpResponse:
    review = _review_or_404(request, slug)
    all_events = timeline_events(review=review)
    timeline = TimelineFilter(request.GET or None, queryset=all_events)
    groups = group_by_phase(timeline.qs)
    events = [event for group in groups for event in group.events]
    for number, event in enumerate(events, start=1):
        event.number = number
    links = list(list_review_organizations(review=review))
    language = get_language()
    context = {
        "review": review,
        "organizers": [link for link in links if link.role == "organizer"],
        "supporters": [link for link in links if link.role == "supporter"],
        "review_objectives": review.review_objectives_in(language),
        "timeline": timeline,
        "groups": groups,
        "event_count": len(events),
        "total_count": all_events.count() if timeline.is_bound else len(events),
        "calendar_count": sum(1 for event in events if event.has_known_days),
        "chart": build_chart(events, rtl=get_language_bidi()),
        "other_links": links_for_review(slug=review.slug),
        "unverified": review.is_unverified(language)
        or any(event.is_unverified(language) for event in events),
    }
    return render(request, "reviews/review_detail.html", context)


def timeline_ics(request: HttpRequest, slug: str) -> HttpResponse:
    review = _review_or_404(request, slug)
    body = exports.timeline_calendar(
        review=review,
        events=timeline_events(review=review),
        review_url=request.build_absolute_uri(review.get_absolute_url()),
        host=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{review.slug}.ics"'
    return response


def timeline_json(request: HttpRequest, slug: str) -> HttpResponse:
    review = _review_or_404(request, slug)
    data = exports.timeline_json(
        review=review,
        events=timeline_events(review=review),
        review_url=request.build_absolute_uri(review.get_absolute_url()),
    )
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )


def review_coverage(request: HttpRequest, slug: str) -> HttpResponse:
    review = _review_or_404(request, slug)
    return render(
        request, "reviews/review_coverage.html", {"review": review, "matrix": build_matrix(review=review)}
    )


def review_coverage_csv(request: HttpRequest, slug: str) -> HttpResponse:
    review = _review_or_404(request, slug)
    # The byte-order mark makes spreadsheet programs read the Arabic and French titles as UTF-8.
    body = "\ufeff" + exports.coverage_csv(matrix=build_matrix(review=review))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{review.slug}-coverage.csv"'
    return response
