"""Open-data API for published consultations (read-only). Never the meeting link, registrations or people."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.throttling import AnonRateThrottle

from reviews.api import TranslatedField

from .models import Consultation
from .selectors import public_consultation_q


class ConsultationSerializer(serializers.ModelSerializer):
    review = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    thematic_area = serializers.SlugRelatedField(slug_field="number", read_only=True)
    objectives = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    title = TranslatedField()
    summary = TranslatedField()
    lead_organization = serializers.SerializerMethodField()
    co_lead_organizations = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "slug",
            "review",
            "title",
            "summary",
            "thematic_area",
            "objectives",
            "lead_organization",
            "co_lead_organizations",
            "format",
            "venue",
            "starts_at",
            "ends_at",
            "time_zone",
            "interpretation_languages",
            "status",
        ]

    def get_lead_organization(self, consultation) -> str | None:
        return str(consultation.lead_organization) if consultation.lead_organization_id else None

    def get_co_lead_organizations(self, consultation) -> list[str]:
        return [str(organization) for organization in consultation.co_lead_organizations.all()]


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("review", str, description="A review's slug.")])
)
class ConsultationViewSet(viewsets.ReadOnlyModelViewSet):
    """Published consultations of published reviews. Filter one review with ?review=<slug>."""

    serializer_class = ConsultationSerializer
    lookup_field = "slug"
    throttle_classes = [AnonRateThrottle]

    def get_queryset(self):
        queryset = (
            # The same rule as the public pages.
            Consultation.objects.filter(public_consultation_q())
            .select_related("review", "thematic_area", "lead_organization")
            .prefetch_related("objectives", "co_lead_organizations")
            .order_by("starts_at", "id")
        )
        review = self.request.query_params.get("review")
        return queryset.filter(review__slug=review) if review else queryset
