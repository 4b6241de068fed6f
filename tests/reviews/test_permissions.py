import pytest

from reviews.models import RegionalReview, ReviewMembership
from reviews.permissions import can_manage_review, reviews_managed_by
from tests.factories import RegionalReviewFactory, StaffUserFactory

from .factories import ReviewMembershipFactory

pytestmark = pytest.mark.django_db


def test_a_member_manages_only_their_review():
    membership = ReviewMembershipFactory()
    other = RegionalReviewFactory()
    assert can_manage_review(membership.user, membership.review)
    assert not can_manage_review(membership.user, other)
    assert list(reviews_managed_by(membership.user)) == [membership.review]


def test_roles_can_narrow_the_check():
    membership = ReviewMembershipFactory(role=ReviewMembership.Role.RAPPORTEUR)
    assert can_manage_review(membership.user, membership.review, roles=["rapporteur"])
    assert not can_manage_review(membership.user, membership.review, roles=["secretariat"])
    assert not reviews_managed_by(membership.user, roles=["secretariat"]).exists()


def test_superusers_manage_everything(superuser):
    review = RegionalReviewFactory()
    assert can_manage_review(superuser, review)
    assert reviews_managed_by(superuser).count() == RegionalReview.objects.count()


def test_anonymous_inactive_and_plain_users_manage_nothing(user):
    from django.contrib.auth.models import AnonymousUser

    review = RegionalReviewFactory()
    inactive = StaffUserFactory(is_active=False)
    ReviewMembershipFactory(review=review, user=inactive)
    for person in (AnonymousUser(), inactive, user, None):
        assert not can_manage_review(person, review)
        assert not reviews_managed_by(person).exists()
