"""Reads of GCM reference data and reviews that need care (prefetching, ordering)."""

from django.db.models import Prefetch, QuerySet

from .models import Objective, ThematicArea


def list_thematic_areas_with_objectives() -> QuerySet[ThematicArea]:
    return ThematicArea.objects.prefetch_related(
        Prefetch("objectives", queryset=Objective.objects.order_by("number"))
    ).order_by("number")


def get_objective(*, number: int) -> Objective:
    return Objective.objects.prefetch_related("thematic_areas").get(number=number)
