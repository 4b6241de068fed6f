"""Admin for organizations and their links to reviews and timeline events.

`reviews` cannot import this app, so the organizer inlines are attached here to the review and event
admins that reviews/admin.py registers (it is imported first: `reviews` comes before `stakeholders` in
INSTALLED_APPS)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from gcm_portal.admin_mixins import TranslationStatusAdminMixin
from reviews.admin import AuditedAdminMixin, ReviewChildInlineMixin
from reviews.models import RegionalReview, ReviewEvent

from .models import EventOrganizer, Organization, ReviewOrganization
from .organizations import LANGS, country_names


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["kind", "country", "name", "acronym", "stakeholder_group", "website", "translation_status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A Member State's name can come from its country code (see clean()).
        for lang in LANGS:
            if f"name_{lang}" in self.fields:
                self.fields[f"name_{lang}"].required = False

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        country = cleaned.get("country")
        if kind == Organization.Kind.MEMBER_STATE:
            if not country:
                self.add_error("country", _("A Member State is identified by its country: choose it."))
            else:
                duplicate = Organization.objects.filter(kind=kind, country=country).exclude(
                    pk=self.instance.pk
                )
                if duplicate.exists():
                    self.add_error("country", _("This country already has its Member State organization."))
                for field, name in country_names(str(country)).items():
                    if field in self.fields and not cleaned.get(field):
                        cleaned[field] = name
        if kind == Organization.Kind.STAKEHOLDER and not cleaned.get("stakeholder_group"):
            self.add_error(
                "stakeholder_group", _("A stakeholder organization belongs to one of the stakeholder groups.")
            )
        if kind != Organization.Kind.STAKEHOLDER and cleaned.get("stakeholder_group"):
            self.add_error("stakeholder_group", _("Only stakeholder organizations have a stakeholder group."))
        if not cleaned.get("name_en"):
            self.add_error("name_en", _("Give the name in English at least."))
        return cleaned


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, TranslationStatusAdminMixin, TabbedTranslationAdmin):
    form = OrganizationForm
    list_display = ("name", "acronym", "kind", "country", "stakeholder_group", "unverified_translations")
    list_filter = ("kind", "stakeholder_group")
    search_fields = ("name_en", "name_fr", "name_ar", "acronym")
    list_select_related = ("stakeholder_group",)
    fields = ("kind", "country", "name", "acronym", "stakeholder_group", "website", "translation_status")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "name_en" in form.base_fields:
            form.base_fields["name_en"].help_text = _(
                "For a Member State, leave the names empty to take them from the country list."
            )
        return form


class ReviewOrganizationInline(ReviewChildInlineMixin, admin.TabularInline):
    model = ReviewOrganization
    extra = 0
    fields = ("role", "organization", "order")
    autocomplete_fields = ("organization",)
    verbose_name = _("organizing or supporting organization")
    verbose_name_plural = _("organizers and supporters (in the order the review lists them)")


class EventOrganizerInline(ReviewChildInlineMixin, TranslationTabularInline):
    model = EventOrganizer
    parent_review_lookup = "review"
    extra = 0
    fields = ("organization", "name", "order")
    autocomplete_fields = ("organization",)
    verbose_name_plural = _("organizers (an organization, or a name typed when it is not one)")


def _attach(model, inline) -> None:
    model_admin = admin.site.get_model_admin(model)
    if inline not in model_admin.inlines:
        model_admin.inlines = [*model_admin.inlines, inline]


_attach(RegionalReview, ReviewOrganizationInline)
_attach(ReviewEvent, EventOrganizerInline)
