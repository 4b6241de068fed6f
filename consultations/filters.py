import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.models import Objective, RegionalReview, ThematicArea

from .models import Consultation
from .selectors import open_for_registration_q


class ConsultationFilter(django_filters.FilterSet):
    review = django_filters.ModelChoiceFilter(
        label=_("Review"),
        queryset=RegionalReview.objects.filter(is_published=True),
        empty_label=_("All reviews"),
    )
    thematic_area = django_filters.ModelChoiceFilter(
        label=_("Thematic area"), queryset=ThematicArea.objects.order_by("number"), empty_label=_("All areas")
    )
    objective = django_filters.ModelChoiceFilter(
        label=_("GCM objective"),
        field_name="objectives",
        queryset=Objective.objects.order_by("number"),
        empty_label=_("All objectives"),
        distinct=True,
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=Consultation.Format.choices, empty_label=_("All formats")
    )
    open = django_filters.BooleanFilter(
        label=_("Open for registration now"),
        method="filter_open",
        widget=forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Consultation
        fields = ["review", "thematic_area", "objective", "format", "open"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        query = open_for_registration_q(now=timezone.now())
        return queryset.filter(query) if value else queryset.exclude(query)
