"""Invalidate cached public pages when the GCM reference data they show changes (admin edits, imports,
the verify-translation action). Connected in GcmPortalConfig.ready()."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from .cache import bump_cache_version

REFERENCE_NAMESPACE = "reference"
# Every model whose rows appear on the pages cached under the "reference" namespace.
REFERENCE_MODELS = (
    "reviews.Objective",
    "reviews.ThematicArea",
    "reviews.GuidingPrinciple",
    "reviews.StakeholderGroup",
    "reviews.PledgeForm",
    "reviews.Region",
)


REVIEW_NAMESPACE = "reviews"
# Every model whose rows appear on the review list and review pages. The review page also lists the reference
# data (objectives, regions), so reference changes bump both namespaces.
REVIEW_MODELS = (
    "reviews.RegionalReview",
    "reviews.ReviewEvent",
    "stakeholders.Organization",
    "stakeholders.ReviewOrganization",
    "stakeholders.EventOrganizer",
    "consultations.Consultation",
)


def review_content_changed(sender, **kwargs) -> None:
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    bump_cache_version(namespace=REVIEW_NAMESPACE)
    bump_cache_version(namespace=CONSULTATION_NAMESPACE)


CONSULTATION_NAMESPACE = "consultations"
# The consultation list and pages show the consultation, its agenda and questions, and the seats left.
CONSULTATION_MODELS = (
    "consultations.Consultation",
    "consultations.AgendaItem",
    "consultations.GuidingQuestion",
    "consultations.BackgroundDocument",
    "consultations.Registration",
    "stakeholders.Organization",
)


def consultation_content_changed(sender, **kwargs) -> None:
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    bump_cache_version(namespace=CONSULTATION_NAMESPACE)


def reference_data_changed(sender, **kwargs) -> None:
    # m2m_changed fires before and after each change; the "post_" half is enough.
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    bump_cache_version(namespace=REFERENCE_NAMESPACE)
    bump_cache_version(namespace=REVIEW_NAMESPACE)


def connect_signals() -> None:
    for label in REFERENCE_MODELS:
        model = apps.get_model(label)
        post_save.connect(reference_data_changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(reference_data_changed, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    for label in REVIEW_MODELS:
        model = apps.get_model(label)
        post_save.connect(review_content_changed, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(review_content_changed, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    for label in CONSULTATION_MODELS:
        model = apps.get_model(label)
        post_save.connect(
            consultation_content_changed, sender=model, dispatch_uid=f"pagecache-c-save-{label}"
        )
        post_delete.connect(
            consultation_content_changed, sender=model, dispatch_uid=f"pagecache-c-del-{label}"
        )
    consultation_model = apps.get_model("consultations.Consultation")
    for through in (consultation_model.objectives.through, consultation_model.co_lead_organizations.through):
        m2m_changed.connect(
            consultation_content_changed, sender=through, dispatch_uid=f"pagecache-m2m-{through}"
        )
    events_objectives = apps.get_model("reviews.ReviewEvent").objectives.through
    m2m_changed.connect(review_content_changed, sender=events_objectives, dispatch_uid="pagecache-m2m-events")
    # The home page groups objectives by thematic area: regrouping changes it without saving either side.
    through = apps.get_model("reviews.ThematicArea").objectives.through
    m2m_changed.connect(reference_data_changed, sender=through, dispatch_uid="pagecache-m2m-thematic-areas")
