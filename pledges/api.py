"""Open-data API for published pledges and written inputs (read-only), with the same filters as the list
page. Contact persons, e-mails, screening notes and unpublished items never appear."""

from django.urls import reverse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, viewsets
from rest_framework.throttling import AnonRateThrottle

from reviews.api import TranslatedField

from . import selectors
from .filters import PledgeFilter, WrittenInputFilter
from .models import Pledge, ProgressUpdate, WrittenInput
from .traffic_light import TrafficLight


class OrganizationSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    acronym = serializers.CharField()
    kind = serializers.CharField()
    country = serializers.CharField(source="country.code", allow_null=True)


class ProgressUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressUpdate
        fields = ["date", "implementation_status", "narrative", "indicator_value"]


class PledgeSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    description = TranslatedField()
    organization = OrganizationSummarySerializer(read_only=True)
    partner_organizations = OrganizationSummarySerializer(many=True, read_only=True)
    form = serializers.SlugRelatedField(slug_field="key", read_only=True)
    objectives = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    principles = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    regions = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    reviews = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    traffic_light = serializers.ChoiceField(source="light", choices=TrafficLight.choices, read_only=True)
    progress_updates = ProgressUpdateSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = Pledge
        fields = [
            "id",
            "url",
            "title",
            "description",
            "original_language",
            "organization",
            "partner_organizations",
            "matches",
            "form",
            "objectives",
            "principles",
            "regions",
            "reviews",
            "indicator",
            "baseline",
            "target",
            "start_date",
            "end_date",
            "amount",
            "currency",
            "implementation_status",
            "last_progress_on",
            "traffic_light",
            "progress_updates",
            "document_url",
            "published_at",
        ]

    def get_url(self, pledge) -> str:
        return self.context["request"].build_absolute_uri(reverse("pledges:detail", kwargs={"pk": pledge.pk}))

    def get_document_url(self, pledge) -> str | None:
        if not pledge.document:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("pledges:document", kwargs={"pk": pledge.pk})
        )


class PledgeViewSet(viewsets.ReadOnlyModelViewSet):
    """Published pledges, newest first. Filters: objective (number), form (key), region (key), progress
    (traffic light), kind (pledger kind) and q (text search)."""

    serializer_class = PledgeSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PledgeFilter
    throttle_classes = [AnonRateThrottle]

    def get_queryset(self):
        return selectors.export_queryset(
            selectors.published_pledges(), today=timezone.localdate(), with_progress=True
        ).order_by("-published_at", "-id")


class WrittenInputSerializer(serializers.ModelSerializer):
    title = TranslatedField()
    text = TranslatedField()
    organization = OrganizationSummarySerializer(read_only=True)
    review = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    stakeholder_group = serializers.SlugRelatedField(slug_field="key", read_only=True)
    objectives = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = WrittenInput
        fields = [
            "id",
            "review",
            "title",
            "text",
            "original_language",
            "organization",
            "stakeholder_group",
            "objectives",
            "document_url",
            "published_at",
        ]

    def get_document_url(self, written_input) -> str | None:
        if not written_input.document:
            return None
        path = reverse("pledges:input_document", kwargs={"pk": written_input.pk})
        return self.context["request"].build_absolute_uri(path)


class WrittenInputViewSet(viewsets.ReadOnlyModelViewSet):
    """Published written inputs to published reviews. Filters: objective (number), group (stakeholder group
    key)."""

    serializer_class = WrittenInputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = WrittenInputFilter
    throttle_classes = [AnonRateThrottle]

    def get_queryset(self):
        return (
            WrittenInput.objects.filter(status=WrittenInput.Status.PUBLISHED, review__is_published=True)
            .select_related("organization", "review", "stakeholder_group")
            .prefetch_related("objectives")
            .order_by("-published_at", "-id")
        )
