from modeltranslation.translator import TranslationOptions, register

from .models import Pledge, WrittenInput


# A submission is written in one language (recorded in `original_language`); the others are optional
# translations added by the secretariat, so no language may fall back to another silently.
@register(Pledge)
class PledgeTranslation(TranslationOptions):
    fields = ("title", "description")
    fallback_languages = {"default": ()}


@register(WrittenInput)
class WrittenInputTranslation(TranslationOptions):
    fields = ("title", "text")
    fallback_languages = {"default": ()}
