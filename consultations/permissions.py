"""Who may organize a consultation: the people with rights on its review (reviews.permissions decides). One
module so that every view and admin of this app asks the same question.

Any review team member (rapporteurs included) may work on a consultation's content and key messages; what
touches people (registrations, the waiting list, participant exports) needs one of MANAGING_ROLES."""

from collections.abc import Iterable

from django.db.models import Q

from reviews.models import ReviewMembership
from reviews.permissions import MANAGING_ROLES, can_manage_review, reviews_managed_by

__all__ = [
    "MANAGING_ROLES",
    "can_manage_participants",
    "can_manage_review",
    "can_see_accessibility_needs",
    "managed_reviews_q",
]


def can_manage_participants(user, review) -> bool:
    """Registrations, the waiting list, balance promotions and participant lists: MANAGING_ROLES only."""
    return can_manage_review(user, review, roles=MANAGING_ROLES)


def can_see_accessibility_needs(user, review) -> bool:
    """Accessibility needs are health-adjacent data: superusers and the review's secretariat only (as in the
    profile admin, stakeholders.admin_profiles, but per review)."""
    return can_manage_review(user, review, roles=(ReviewMembership.Role.SECRETARIAT,))


def managed_reviews_q(user, *, prefix: str = "review", roles: Iterable[str] | None = None) -> Q:
    """A filter for rows whose review `user` manages (in one of `roles`, when given; everything for a
    superuser, nothing for others)."""
    if user.is_active and user.is_superuser:
        return Q()
    # A subquery, not a join: a person with two roles on one review must not see its rows twice.
    return Q(**{f"{prefix}__in": reviews_managed_by(user, roles=roles).values("pk")})
