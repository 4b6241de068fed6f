from modeltranslation.translator import TranslationOptions, register

from .models import (
    GuidingPrinciple,
    Objective,
    PledgeForm,
    Region,
    RegionalReview,
    ReviewEvent,
    StakeholderGroup,
    ThematicArea,
)


@register(Objective)
class ObjectiveTranslation(TranslationOptions):
    fields = ("title", "short_title")


@register(ThematicArea)
class ThematicAreaTranslation(TranslationOptions):
    fields = ("title",)


@register(GuidingPrinciple)
class GuidingPrincipleTranslation(TranslationOptions):
    fields = ("title",)


@register(StakeholderGroup)
class StakeholderGroupTranslation(TranslationOptions):
    fields = ("name",)


@register(PledgeForm)
class PledgeFormTranslation(TranslationOptions):
    fields = ("name",)


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(RegionalReview)
class RegionalReviewTranslation(TranslationOptions):
    fields = ("title", "purpose", "informs")


@register(ReviewEvent)
class ReviewEventTranslation(TranslationOptions):
    fields = ("title", "description")
