from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from gcm_portal.admin_mixins import TranslationStatusAdminMixin

from .models import GuidingPrinciple, Objective, PledgeForm, Region, StakeholderGroup, ThematicArea


@admin.register(Objective)
class ObjectiveAdmin(TranslationStatusAdminMixin, TabbedTranslationAdmin):
    list_display = ("number", "title", "cross_cutting", "unverified_translations")
    list_display_links = ("number", "title")
    search_fields = ("title_en", "title_fr", "title_ar")
    ordering = ("number",)


@admin.register(ThematicArea)
class ThematicAreaAdmin(TranslationStatusAdminMixin, TabbedTranslationAdmin):
    list_display = ("number", "title", "unverified_translations")
    filter_horizontal = ("objectives",)


@admin.register(GuidingPrinciple, StakeholderGroup, PledgeForm)
class KeyedReferenceAdmin(TranslationStatusAdminMixin, TabbedTranslationAdmin):
    list_display = ("key", "__str__", "order", "unverified_translations")
    ordering = ("order",)


@admin.register(Region)
class RegionAdmin(TranslationStatusAdminMixin, TabbedTranslationAdmin):
    list_display = ("key", "commission", "name", "unverified_translations")
