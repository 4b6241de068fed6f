"""Who may organize a consultation: the people with rights on its review (reviews.permissions decides). One
module so that every view and admin of this app asks the same question."""

from django.db.models import Q

from reviews.permissions import can_manage_review, reviews_managed_by

__all__ = ["can_manage_review", "managed_reviews_q"]


def managed_reviews_q(user, *, prefix: str = "review") -> Q:
    """A filter for rows whose review `user` manages (everything for a superuser, nothing for others)."""
    if user.is_active and user.is_superuser:
        return Q()
    # A subquery, not a join: a person with two roles on one review must not see its rows twice.
    return Q(**{f"{prefix}__in": reviews_managed_by(user).values("pk")})
