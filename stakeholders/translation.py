from modeltranslation.translator import TranslationOptions, register

from .models import EventOrganizer, Organization


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name",)


@register(EventOrganizer)
class EventOrganizerTranslation(TranslationOptions):
    fields = ("name",)
