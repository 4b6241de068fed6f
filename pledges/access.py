"""Who may see and change which pledge or written input.

- Anyone sees published submissions (never their contact person).
- A profile's organization is self-declared: it only makes the person a member once the secretariat has
  confirmed it (StakeholderProfile.organization_confirmed_at). Confirmed members see all of their
  organization's submissions and edit those in draft or returned for changes.
- Whoever created a submission keeps those owner rights on it, confirmed or not: an unconfirmed person may
  draft and submit in their organization's name, but sees and edits only what they created themselves.
- Staff see and decide on the submissions of the reviews they manage (ReviewMembership as secretariat or
  organizer); superusers on all. A pledge linked to no review is for superusers to screen.
"""

from django.db.models import QuerySet

from reviews.models import ReviewMembership

from .models import Pledge, Submission, SubmissionStatus, WrittenInput

DECIDING_ROLES = (ReviewMembership.Role.SECRETARIAT, ReviewMembership.Role.ORGANIZER)


def _profile_of(user):
    if not user.is_authenticated:
        return None
    return getattr(user, "profile", None)


def organization_id_of(user) -> int | None:
    """The organization the person's profile names, confirmed or not: new submissions are filed under it."""
    profile = _profile_of(user)
    return profile.organization_id if profile is not None else None


def confirmed_organization_id_of(user) -> int | None:
    """The organization the secretariat confirmed the person represents, or None."""
    profile = _profile_of(user)
    if profile is None or profile.organization_confirmed_at is None:
        return None
    return profile.organization_id


def managed_review_ids(user) -> list[int]:
    if not (user.is_authenticated and user.is_staff):
        return []
    return list(
        ReviewMembership.objects.filter(user=user, role__in=DECIDING_ROLES).values_list(
            "review_id", flat=True
        )
    )


def restrict_to_managed(queryset: QuerySet, user) -> QuerySet:
    """The submissions a staff member may screen."""
    if user.is_superuser:
        return queryset
    review_ids = managed_review_ids(user)
    if queryset.model is Pledge:
        return queryset.filter(reviews__in=review_ids).distinct()
    return queryset.filter(review_id__in=review_ids)


def is_member(user, submission: Submission) -> bool:
    """A confirmed member of the submitting organization."""
    org_id = confirmed_organization_id_of(user)
    return org_id is not None and org_id == submission.organization_id


def is_creator(user, submission: Submission) -> bool:
    return (
        user.is_authenticated and submission.created_by_id is not None and submission.created_by_id == user.pk
    )


def is_owner(user, submission: Submission) -> bool:
    """Who acts for the submitting organization on this submission: its confirmed members and its creator."""
    return is_member(user, submission) or is_creator(user, submission)


def can_manage(user, submission: Submission) -> bool:
    if not (user.is_authenticated and user.is_staff):
        return False
    if user.is_superuser:
        return True
    review_ids = set(managed_review_ids(user))
    if isinstance(submission, WrittenInput):
        return submission.review_id in review_ids
    return submission.reviews.filter(pk__in=review_ids).exists()


def can_view(user, submission: Submission) -> bool:
    return (
        submission.status == SubmissionStatus.PUBLISHED
        or is_owner(user, submission)
        or can_manage(user, submission)
    )


def can_view_private(user, submission: Submission) -> bool:
    """Contact person and unpublished documents: the submission's owners and its screeners only."""
    return is_owner(user, submission) or can_manage(user, submission)


def can_edit(user, submission: Submission) -> bool:
    return submission.is_editable_by_submitter and is_owner(user, submission)


def can_report_progress(user, pledge: Pledge) -> bool:
    return pledge.status == SubmissionStatus.PUBLISHED and is_owner(user, pledge)
