from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GcmPortalConfig(AppConfig):
    name = "gcm_portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from .signals import connect_signals

        connect_signals()
