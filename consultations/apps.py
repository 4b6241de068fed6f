from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Thematic consultations")

    def ready(self) -> None:
        from reviews.coverage import CoverageColumn, register_column
        from stakeholders import personal_data

        from . import selectors, services

        register_column(
            CoverageColumn(
                key="consultations",
                label=_("Consultations"),
                count_by_objective=selectors.consultations_by_objective,
                order=20,
            )
        )
        personal_data.register_exporter("consultations", lambda user: selectors.export_person(user=user))
        personal_data.register_eraser("consultations", services.erase_person)
