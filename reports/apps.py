from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Outcome documents and reports")

    def ready(self) -> None:
        from consultations.key_messages import count_approved_key_messages_by_objective
        from reviews.coverage import CoverageColumn, register_column
        from reviews.review_links import ReviewLink, register_review_link

        register_review_link(
            ReviewLink(
                key="documents",
                label=_("Outcome document and summary reports"),
                url_name="reports:review_documents",
                order=10,
            )
        )
        register_column(
            CoverageColumn(
                key="key_messages",
                label=_("Approved key messages"),
                count_by_objective=count_approved_key_messages_by_objective,
                order=40,
            )
        )
