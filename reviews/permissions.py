"""Object-level staff rights on reviews. Model permissions say what kind of object a staff member may
change; a ReviewMembership says on which reviews. Other apps call these two functions for the objects that
hang off a review (consultations, key messages, pledges, outcome documents).

Only staff accounts hold rights through a membership: taking `is_staff` away takes the rights away too.
Rapporteurs write key messages; what touches people's registrations and personal data, or publishes and
finalises documents, needs one of MANAGING_ROLES."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import RegionalReview, ReviewMembership

# The roles that manage participants (registrations, exports, balance) and decide on documents.
MANAGING_ROLES = (ReviewMembership.Role.SECRETARIAT, ReviewMembership.Role.ORGANIZER)


def _is_active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def _is_active_staff(user) -> bool:
    return _is_active(user) and (user.is_staff or user.is_superuser)


def can_manage_review(user, review: RegionalReview, *, roles: Iterable[str] | None = None) -> bool:
    """True for active superusers, and for active staff with a membership (in one of `roles`, when given)
    on this review."""
    if not _is_active_staff(user) or review is None or review.pk is None:
        return False
    if user.is_superuser:
        return True
    memberships = ReviewMembership.objects.filter(review_id=review.pk, user_id=user.pk)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return memberships.exists()


def reviews_managed_by(user, *, roles: Iterable[str] | None = None) -> QuerySet[RegionalReview]:
    """The reviews `user` may manage: all of them for a superuser, none for anonymous, inactive or non-staff
    users."""
    if not _is_active_staff(user):
        return RegionalReview.objects.none()
    if user.is_superuser:
        return RegionalReview.objects.all()
    memberships = ReviewMembership.objects.filter(user_id=user.pk)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return RegionalReview.objects.filter(pk__in=memberships.values("review_id"))
