from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, BackgroundDocument, Consultation, GuidingQuestion, KeyMessage


@register(Consultation)
class ConsultationTranslation(TranslationOptions):
    fields = ("title", "summary", "concept_note", "venue")


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "presenters")


@register(GuidingQuestion)
class GuidingQuestionTranslation(TranslationOptions):
    fields = ("text",)


@register(BackgroundDocument)
class BackgroundDocumentTranslation(TranslationOptions):
    fields = ("title",)


@register(KeyMessage)
class KeyMessageTranslation(TranslationOptions):
    fields = ("text",)
