"""Admin pieces shared by every app: translation-status display and verification actions."""

from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .audit import record_audit
from .models import TranslationStatus


def _make_verify_action(code: str, name):
    @admin.action(description=_("Mark the %(language)s translation as verified") % {"language": name})
    def verify(modeladmin, request, queryset):
        changed = 0
        with transaction.atomic():
            for obj in queryset.select_for_update():
                before = dict(obj.translation_status or {})
                if before.get(code) != TranslationStatus.WORKING and code in before:
                    continue
                obj.translation_status = before | {code: TranslationStatus.VERIFIED}
                obj.save(update_fields=["translation_status"])
                record_audit(
                    actor=request.user,
                    action="translation.verify",
                    obj=obj,
                    before={"translation_status": before},
                    after={"translation_status": obj.translation_status},
                )
                changed += 1
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
