"""Who may see and change which pledge or written input.

- Anyone sees published submissions (never their contact person).
- Members of the submitting organization (StakeholderProfile.organization) see all of its submissions and
  edit those in draft or returned for changes.
- Staff see and decide on the submissions of the reviews they manage (ReviewMembership as secretariat or
  organizer); superusers on all. A pledge linked to no review is for superusers to screen.
"""

from django.db.models import Q, QuerySet

from reviews.models import ReviewMembership

from .models import Pledge, Submission, SubmissionStatus, WrittenInput

DECIDING_ROLES = (ReviewMembership.Role.SECRETARIAT, ReviewMembership.Role.ORGANIZER)


def organization_id_of(user) -> int | None:
    if not user.is_authenticated:
        return None
    profile = getattr(user, "profile", None)
    return profile.organization_id if profile is not None else None


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
    org_id = organization_id_of(user)
    return org_id is not None and org_id == submission.organization_id


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
        or is_member(user, submission)
        or can_manage(user, submission)
    )


def can_view_private(user, submission: Submission) -> bool:
    """Contact person and unpublished documents: the organization's members and its screeners only."""
    return is_member(user, submission) or can_manage(user, submission)


def can_edit(user, submission: Submission) -> bool:
    return submission.is_editable_by_submitter and is_member(user, submission)


def can_report_progress(user, pledge: Pledge) -> bool:
    return pledge.status == SubmissionStatus.PUBLISHED and is_member(user, pledge)


def visible_to(queryset: QuerySet, user) -> QuerySet:
    """Published submissions plus, for a member, every submission of their organization."""
    org_id = organization_id_of(user)
    condition = Q(status=SubmissionStatus.PUBLISHED)
    if org_id is not None:
        condition |= Q(organization_id=org_id)
    return queryset.filter(condition)
