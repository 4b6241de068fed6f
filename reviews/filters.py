import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Objective, ReviewEvent


class TimelineFilter(django_filters.FilterSet):
    """Filters a review's timeline by kind, focus objective and whether the event is open or closed."""

    ACCESS_CHOICES = (("open", _("Open")), ("closed", _("Closed (invitation only)")))

    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ReviewEvent.Kind.choices, empty_label=_("All kinds")
    )
    objective = django_filters.ModelChoiceFilter(
        label=_("Focus objective"),
        field_name="objectives",
        to_field_name="number",
        queryset=Objective.objects.order_by("number"),
        empty_label=_("All objectives"),
    )
    access = django_filters.ChoiceFilter(
        label=_("Open or closed"), choices=ACCESS_CHOICES, method="filter_access", empty_label=_("All events")
    )

    class Meta:
        model = ReviewEvent
        fields = ["kind", "objective", "access"]

    def filter_access(self, queryset, name, value):
        return queryset.filter(is_closed=(value == "closed"))
