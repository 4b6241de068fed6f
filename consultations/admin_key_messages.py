"""Admin for key messages (rapporteurs). Staff see and change only the messages of reviews they have rights
on; every change goes through the key-message services so it is audited."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from gcm_portal.admin_mixins import TranslationStatusAdminMixin
from reviews.permissions import can_manage_review, reviews_managed_by

from . import key_messages as services
from .models import Consultation, KeyMessage


class KeyMessageAdminForm(forms.ModelForm):
    class Meta:
        model = KeyMessage
        fields = (
            "consultation",
            "kind",
            "objectives",
            "guiding_question",
            "agenda_item",
            "original_language",
            "order",
        )

    def clean(self):
        cleaned = super().clean()
        language = cleaned.get("original_language")
        if language and not (cleaned.get(f"text_{language}") or "").strip():
            self.add_error(f"text_{language}", _("Enter the text in its original language."))
        consultation = cleaned.get("consultation")
        for name in ("agenda_item", "guiding_question"):
            part = cleaned.get(name)
            if consultation and part and part.consultation_id != consultation.pk:
                self.add_error(name, _("Choose one of this consultation's own items."))
        return cleaned


@admin.register(KeyMessage)
class KeyMessageAdmin(TranslationStatusAdminMixin, TabbedTranslationAdmin):
    form = KeyMessageAdminForm
    list_display = (
        "__str__",
        "consultation",
        "kind",
        "status",
        "order",
        "original_language",
        "unverified_translations",
    )
    list_filter = ("status", "kind", "consultation__review", "original_language")
    search_fields = ("text_ar", "text_en", "text_fr", "consultation__title_en")
    filter_horizontal = ("objectives",)
    list_select_related = ("consultation",)
    readonly_fields = ("status", "created_by", "created_at", "updated_at")
    fields = (
        "consultation",
        "kind",
        "objectives",
        "guiding_question",
        "agenda_item",
        "text",
        "original_language",
        "order",
        "status",
        "created_by",
        "created_at",
        "updated_at",
    )
    actions = ("approve_selected", "return_selected_to_draft")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(consultation__review__in=reviews_managed_by(request.user))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "consultation":
            kwargs["queryset"] = Consultation.objects.filter(review__in=reviews_managed_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not can_manage_review(request.user, obj.consultation.review):
            raise PermissionDenied
        # The services set the objectives themselves; save_related must not do it again from the form.
        arguments = {
            "kind": obj.kind,
            "objectives": form.cleaned_data["objectives"],
            "texts": {code: getattr(obj, f"text_{code}") or "" for code, _name in settings.LANGUAGES},
            "original_language": obj.original_language,
            "order": obj.order,
            "agenda_item": obj.agenda_item,
            "guiding_question": obj.guiding_question,
        }
        if change:
            saved = services.update_key_message(key_message=obj, actor=request.user, **arguments)
        else:
            saved = services.create_key_message(
                consultation=obj.consultation, actor=request.user, **arguments
            )
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.delete_key_message(key_message=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for key_message in queryset:
            services.delete_key_message(key_message=key_message, actor=request.user)

    def _set_status(self, request, queryset, status: str) -> None:
        changed = 0
        for key_message in queryset.select_related("consultation__review"):
            if key_message.status != status:
                services.set_key_message_status(key_message=key_message, actor=request.user, status=status)
                changed += 1
        self.message_user(
            request,
            ngettext("%(count)d key message changed.", "%(count)d key messages changed.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve the selected key messages"))
    def approve_selected(self, request, queryset):
        self._set_status(request, queryset, KeyMessage.Status.APPROVED)

    @admin.action(description=_("Return the selected key messages to draft"))
    def return_selected_to_draft(self, request, queryset):
        self._set_status(request, queryset, KeyMessage.Status.DRAFT)
