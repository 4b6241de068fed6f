"""Reads of GCM reference data and reviews that need care (prefetching, ordering)."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from .models import Objective, RegionalReview, ReviewEvent, ThematicArea
from .permissions import can_manage_review


def list_thematic_areas_with_objectives() -> QuerySet[ThematicArea]:
    return ThematicArea.objects.prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.order_by("number"))
    ).order_by("number")


def get_objective(*, number: int) -> Objective:
    return Objective.objects.prefetch_related("thematic_areas").get(number=number)


def list_published_reviews() -> QuerySet[RegionalReview]:
    """Published reviews by region (in the regions' order), the latest round first."""
    return (
        RegionalReview.objects.filter(is_published=True)
        .select_related("region")
        .annotate(event_count=Count("events"))
        .order_by("region__order", "region__key", "-round")
    )


def get_review_for_viewer(*, slug: str, user) -> RegionalReview:
    """A published review, or an unpublished one its team may preview. Raises RegionalReview.DoesNotExist."""
    review = RegionalReview.objects.select_related("region").get(slug=slug)
    if not review.is_published and not can_manage_review(user, review):
        raise RegionalReview.DoesNotExist
    return review


def list_review_organizations(*, review: RegionalReview) -> QuerySet:
    """The review's organizer and supporter links with their organizations, in the review's order."""
    return review.organization_links.select_related("organization").order_by("role", "order", "id")


def timeline_events(*, review: RegionalReview) -> QuerySet[ReviewEvent]:
    """The review's events in date order with everything a timeline row shows, in a constant number of
    queries: organizers and focus objectives are prefetched, the consultation (if any) joined."""
    return (
        ReviewEvent.objects.filter(review=review)
        .select_related("consultation")
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.order_by("number")),
            # The organizer links live in `stakeholders`; reached through the reverse accessor only.
            "organizer_links__organization",
        )
        .order_by("date_sort", "date_start", "order", "id")
    )


@dataclass
class PhaseGroup:
    phase: str
    label: str
    events: list[ReviewEvent] = field(default_factory=list)


def group_by_phase(events) -> list[PhaseGroup]:
    """Events grouped by phase in the phases' order, each group keeping the date order; empty phases left out."""
    groups = {value: PhaseGroup(phase=value, label=label) for value, label in ReviewEvent.Phase.choices}
    for event in events:
        groups[event.phase].events.append(event)
    return [group for group in groups.values() if group.events]
