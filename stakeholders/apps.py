from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholders and organizations")

    def ready(self) -> None:
        from allauth.account.decorators import secure_admin_login
        from django.contrib import admin

        from . import signals

        signals.connect()
        # The admin's own login form has no rate limit. Sending it to allauth's login (as allauth's docs
        # advise) puts staff logins under the same failed-attempt limits as everyone else's; this runs
        # before the URLconf reads admin.site.urls.
        admin.site.login = secure_admin_login(admin.site.login)
