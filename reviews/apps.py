from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Regional reviews")

    def ready(self) -> None:
        from .coverage import CoverageColumn, count_events_by_objective, register_column

        register_column(
            CoverageColumn(
                key="events",
                label=_("Timeline events"),
                count_by_objective=count_events_by_objective,
                order=10,
            )
        )
