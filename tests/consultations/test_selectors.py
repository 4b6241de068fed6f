import pytest

from consultations import selectors
from consultations.models import Registration
from reviews.coverage import registered_columns
from tests.factories import objective

from .factories import ConsultationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_coverage_column_counts_published_consultations_per_objective():
    published = ConsultationFactory(objectives=[objective(17), objective(23)])
    ConsultationFactory(review=published.review, objectives=[objective(17)])
    ConsultationFactory(review=published.review, objectives=[objective(17)], is_published=False)
    ConsultationFactory(objectives=[objective(1)])  # another review
    column = next(c for c in registered_columns() if c.key == "consultations")
    assert column.count_by_objective(review=published.review) == {17: 2, 23: 1}


def test_waitlist_positions_on_my_registrations():
    consultation = ConsultationFactory(capacity=0)
    first = RegistrationFactory(consultation=consultation, status=Registration.Status.WAITLISTED)
    second = RegistrationFactory(consultation=consultation, status=Registration.Status.WAITLISTED)
    mine = selectors.registrations_for_user(user=second.user)
    assert [r.waitlist_position for r in mine] == [2]
    assert selectors.waitlist_position(first) == 1


def test_seats_left_never_negative():
    consultation = ConsultationFactory(capacity=1)
    RegistrationFactory(consultation=consultation)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL gcm.registration_guard_off = 'on'")
    RegistrationFactory(consultation=consultation)
    assert selectors.seats_left(consultation) == 0
