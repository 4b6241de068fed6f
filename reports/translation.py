from modeltranslation.translator import TranslationOptions, register

from .models import ConsultationSummary, OutcomeDocument


@register(ConsultationSummary)
class ConsultationSummaryTranslation(TranslationOptions):
    fields = ("introduction", "next_steps")


@register(OutcomeDocument)
class OutcomeDocumentTranslation(TranslationOptions):
    fields = ("preamble", "main_messages", "way_forward")
