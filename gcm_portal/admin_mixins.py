"""Admin pieces shared by every app: translation-status display and verification actions."""

from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .services import verify_translation


def _make_verify_action(code: str, name):
    @admin.action(description=_("Mark the %(language)s translation as verified") % {"language": name})
    def verify(modeladmin, request, queryset):
        changed = sum(verify_translation(actor=request.user, obj=obj, language=code) for obj in queryset)
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d translation marked verified.", "%(count)d translations marked verified.", changed
            )
            % {"count": changed},
            messages.SUCCESS,
        )

    verify.__name__ = f"verify_translation_{code}"
    return verify


class TranslationStatusAdminMixin:
    """Shows which languages of an object are unverified working translations, and lets staff verify them."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        if request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}"):
            for code, name in settings.LANGUAGES:
                action = _make_verify_action(code, name)
                actions[action.__name__] = (action, action.__name__, action.short_description)
        return actions

    @admin.display(description=_("Unverified translations"))
    def unverified_translations(self, obj) -> str:
        return ", ".join(obj.unverified_languages()) or "—"
