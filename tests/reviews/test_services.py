"""reviews/services.py: team memberships and the upserts the demo loader and imports use. Each change is
audited with its actor (None for the system)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from gcm_portal.models import AuditEntry
from reviews import services
from reviews.models import RegionalReview, ReviewEvent, ReviewMembership
from tests.factories import RegionalReviewFactory, StaffUserFactory, region

from .factories import ReviewMembershipFactory

pytestmark = pytest.mark.django_db

D = datetime.date
STATUS = {"ar": "seed", "en": "working", "fr": "working"}


# --- Memberships -----------------------------------------------------------------------------------------


def test_granting_a_membership_creates_it_once_and_audits_it(superuser):
    review = RegionalReviewFactory()
    person = StaffUserFactory()

    membership = services.grant_review_membership(
        actor=superuser, review=review, user=person, role=ReviewMembership.Role.ORGANIZER
    )
    again = services.grant_review_membership(
        actor=superuser, review=review, user=person, role=ReviewMembership.Role.ORGANIZER
    )

    assert again.pk == membership.pk
    assert list(ReviewMembership.objects.values_list("review", "user", "role")) == [
        (review.pk, person.pk, "organizer")
    ]
    entry = AuditEntry.objects.get(action="reviews.membership.grant")
    assert entry.actor == superuser and entry.object_id == str(membership.pk)
    assert entry.after == {"review": review.pk, "user": person.pk, "role": "organizer"}


def test_revoking_a_membership_deletes_it_and_names_who_held_it(superuser):
    membership = ReviewMembershipFactory(role=ReviewMembership.Role.RAPPORTEUR)
    held = {"review": membership.review_id, "user": membership.user_id, "role": "rapporteur"}
    pk = membership.pk

    services.revoke_review_membership(actor=superuser, membership=membership)

    assert not ReviewMembership.objects.exists()
    entry = AuditEntry.objects.get(action="reviews.membership.revoke")
    assert (entry.actor, entry.before, entry.object_id) == (superuser, held, str(pk))


def test_the_system_is_recorded_when_no_one_acts():
    review = RegionalReviewFactory()
    services.grant_review_membership(actor=None, review=review, user=StaffUserFactory(), role="secretariat")
    entry = AuditEntry.objects.get(action="reviews.membership.grant")
    assert entry.actor is None and entry.actor_label == "system"


# --- Reviews ---------------------------------------------------------------------------------------------


def test_upsert_review_creates_then_changes_only_what_differs(staff_user):
    arab = region("arab")
    values = {"title_en": "Arab region, round 9", "slug": "arab-9", "outcome_deadline": D(2025, 3, 1)}

    review = services.upsert_review(
        actor=staff_user, region=arab, round=9, values=values, translation_status=STATUS
    )
    created = AuditEntry.objects.get(action="reviews.review.create")
    assert created.actor == staff_user and created.after["slug"] == "arab-9"

    # The same values again: nothing changes, nothing is audited.
    services.upsert_review(actor=staff_user, region=arab, round=9, values=values, translation_status=STATUS)
    assert AuditEntry.objects.filter(object_id=str(review.pk)).count() == 1

    changed = services.upsert_review(
        actor=None, region=arab, round=9, values=values | {"title_en": "Renamed"}, translation_status=STATUS
    )
    assert changed.pk == review.pk and changed.title_en == "Renamed"
    update = AuditEntry.objects.get(action="reviews.review.update")
    assert update.before == {"title_en": "Arab region, round 9"} and update.after == {"title_en": "Renamed"}


def test_upsert_review_keeps_a_verified_translation_verified():
    arab = region("arab")
    review = services.upsert_review(
        actor=None, region=arab, round=9, values={"title_en": "T", "slug": "t-9"}, translation_status=STATUS
    )
    RegionalReview.objects.filter(pk=review.pk).update(translation_status=STATUS | {"fr": "verified"})
    reloaded = services.upsert_review(
        actor=None, region=arab, round=9, values={"title_en": "T", "slug": "t-9"}, translation_status=STATUS
    )
    assert reloaded.translation_status == {"ar": "seed", "en": "working", "fr": "verified"}


def test_upsert_review_validates_and_writes_nothing_when_invalid():
    with pytest.raises(ValidationError) as refused:
        services.upsert_review(
            actor=None,
            region=region("arab"),
            round=9,
            values={"title_en": "T", "slug": "t-9", "outcome_deadline": D(2025, 3, 15)},
            translation_status=STATUS,
        )
    assert "outcome_deadline" in refused.value.message_dict
    assert not RegionalReview.objects.filter(slug="t-9").exists()
    assert not AuditEntry.objects.exists()


# --- Timeline events -------------------------------------------------------------------------------------


def test_upsert_review_event_sets_dates_and_objectives_and_audits(staff_user):
    review = RegionalReviewFactory()
    values = {
        "title_en": "Hearing",
        "date_start": D(2024, 7, 1),
        "date_precision": ReviewEvent.Precision.MONTH,
    }

    event = services.upsert_review_event(
        actor=staff_user,
        review=review,
        match_title_en="Hearing",
        values=values,
        objective_numbers=[21, 17],
        translation_status=STATUS,
    )

    assert (event.date_start, event.date_sort) == (D(2024, 7, 1), D(2024, 7, 31))
    assert sorted(event.objectives.values_list("number", flat=True)) == [17, 21]
    created = AuditEntry.objects.get(action="reviews.event.create")
    assert created.actor == staff_user and created.after["objectives"] == [17, 21]

    services.upsert_review_event(
        actor=staff_user,
        review=review,
        match_title_en="Hearing",
        values=values,
        objective_numbers=[17],
        translation_status=STATUS,
    )
    update = AuditEntry.objects.get(action="reviews.event.update")
    assert update.before == {"objectives": [17, 21]} and update.after == {"objectives": [17]}
    assert ReviewEvent.objects.filter(review=review).count() == 1


def test_upsert_review_event_refuses_a_day_on_a_month_date():
    review = RegionalReviewFactory()
    with pytest.raises(ValidationError):
        services.upsert_review_event(
            actor=None,
            review=review,
            match_title_en="Talk",
            values={
                "title_en": "Talk",
                "date_start": D(2024, 7, 15),
                "date_precision": ReviewEvent.Precision.MONTH,
            },
            objective_numbers=[],
            translation_status=STATUS,
        )
    assert not ReviewEvent.objects.filter(review=review).exists()
    assert not AuditEntry.objects.exists()
