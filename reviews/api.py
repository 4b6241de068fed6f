"""Open-data API for published regional reviews and their timelines (read-only).

Also defines `TranslatedField`, which the other apps' API modules reuse for their trilingual texts.
"""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.throttling import AnonRateThrottle

from .models import RegionalReview, ReviewEvent

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
TRANSLATED_SCHEMA = {
    "type": "object",
    "properties": {code: {"type": "string"} for code in LANGUAGE_CODES},
    "description": "The text in each language that has it; a missing language has no text yet.",
}


@extend_schema_field(TRANSLATED_SCHEMA)
class TranslatedField(serializers.Field):
    """A modeltranslation field as {"ar": …, "en": …, "fr": …}, leaving out languages without text."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.model_field = self.field_name if self.source == "*" else self.source

    def to_representation(self, instance):
        values = {code: getattr(instance, f"{self.model_field}_{code}", None) for code in LANGUAGE_CODES}
        return {code: value for code, value in values.items() if value}


class RegionalReviewSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    purpose = TranslatedField()
    region = serializers.SlugRelatedField(slug_field="key", read_only=True)
    champion_countries = serializers.SerializerMethodField()

    class Meta:
        model = RegionalReview
        fields = [
            "slug",
            "title",
            "region",
            "round",
            "status",
            "purpose",
            "conference_start",
            "conference_end",
            "outcome_deadline",
            "champion_countries",
            "updated_at",
        ]

    def get_champion_countries(self, review) -> list[str]:
        return [country.code for country in review.champion_countries]


class ReviewEventSerializer(serializers.ModelSerializer):
    review = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = TranslatedField()
    description = TranslatedField()
    objectives = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = ReviewEvent
        fields = [
            "id",
            "review",
            "phase",
            "kind",
            "title",
            "description",
            "date_start",
            "date_end",
            "date_precision",
            "objectives",
            "is_closed",
        ]


class RegionalReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """Published regional reviews."""

    serializer_class = RegionalReviewSerializer
    lookup_field = "slug"
    throttle_classes = [AnonRateThrottle]
    queryset = (
        RegionalReview.objects.filter(is_published=True)
        .select_related("region")
        .order_by("region__order", "-round")
    )


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("review", str, description="A review's slug.")])
)
class ReviewEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Timeline events of published reviews. Filter one review with ?review=<slug>."""

    serializer_class = ReviewEventSerializer
    throttle_classes = [AnonRateThrottle]

    def get_queryset(self):
        queryset = (
            ReviewEvent.objects.filter(review__is_published=True)
            .select_related("review")
            .prefetch_related("objectives")
            .order_by("review_id", "date_start", "order", "id")
        )
        review = self.request.query_params.get("review")
        return queryset.filter(review__slug=review) if review else queryset
