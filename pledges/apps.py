from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = _("Pledges and written inputs")

    def ready(self) -> None:
        from reviews.coverage import CoverageColumn, register_column
        from reviews.review_links import ReviewLink, register_review_link
        from stakeholders import personal_data as registry

        from . import personal_data, selectors, signals

        signals.connect()
        register_review_link(
            ReviewLink(
                key="written_inputs", label=_("Written inputs"), url_name="pledges:review_inputs", order=20
            )
        )
        register_column(
            CoverageColumn(
                key="pledges",
                label=_("Pledges"),
                count_by_objective=selectors.published_pledges_by_objective,
                order=40,
            )
        )
        register_column(
            CoverageColumn(
                key="written_inputs",
                label=_("Written inputs"),
                count_by_objective=selectors.published_inputs_by_objective,
                order=50,
            )
        )
        registry.register_exporter("pledges", personal_data.export_person)
        registry.register_eraser("pledges", personal_data.erase_person)
