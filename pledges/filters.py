"""The public filters of pledges and written inputs, shared by the list page, the exports and the API."""

import django_filters
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.models import Objective, PledgeForm, Region, StakeholderGroup
from stakeholders.models import Organization

from .models import Pledge, WrittenInput
from .traffic_light import TrafficLight, with_traffic_light

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def _search(queryset, name, value):
    words = value.split()[:8]
    for word in words:
        condition = Q(organization__acronym__icontains=word)
        for code in LANGUAGE_CODES:
            condition |= (
                Q(**{f"title_{code}__icontains": word})
                | Q(**{f"description_{code}__icontains": word})
                | Q(**{f"organization__name_{code}__icontains": word})
            )
        queryset = queryset.filter(condition)
    return queryset


class PledgeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method=_search, max_length=100)
    objective = django_filters.ModelChoiceFilter(
        label=_("GCM objective"),
        field_name="objectives",
        queryset=Objective.objects.order_by("number"),
        to_field_name="number",
    )
    form = django_filters.ModelChoiceFilter(
        label=_("Form"), field_name="form", queryset=PledgeForm.objects.all(), to_field_name="key"
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="regions", queryset=Region.objects.all(), to_field_name="key"
    )
    progress = django_filters.ChoiceFilter(
        label=_("Progress"), choices=TrafficLight.choices, method="filter_progress"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of pledger"), field_name="organization__kind", choices=Organization.Kind.choices
    )

    class Meta:
        model = Pledge
        fields: list[str] = []

    def filter_progress(self, queryset, name, value):
        if "light" not in queryset.query.annotations:
            queryset = with_traffic_light(queryset, today=timezone.localdate())
        return queryset.filter(light=value)


class WrittenInputFilter(django_filters.FilterSet):
    objective = django_filters.ModelChoiceFilter(
        label=_("GCM objective"),
        field_name="objectives",
        queryset=Objective.objects.order_by("number"),
        to_field_name="number",
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Stakeholder group"),
        field_name="stakeholder_group",
        queryset=StakeholderGroup.objects.all(),
        to_field_name="key",
    )

    class Meta:
        model = WrittenInput
        fields: list[str] = []
