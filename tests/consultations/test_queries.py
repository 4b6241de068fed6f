"""Lists cost the same number of queries for one row as for many (no N+1): "My registrations", the participant
exports, and the admin changelists of consultations, registrations and key messages."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Registration
from reviews.models import ReviewMembership
from tests.factories import objective

from .factories import (
    ConsultationFactory,
    KeyMessageFactory,
    OrganizationFactory,
    ProfileFactory,
    RegistrationFactory,
    participant,
    team_member,
)

pytestmark = pytest.mark.django_db
Status = Registration.Status


def _measure(client, target: str, *, expected_rows, rows_of) -> int:
    """Queries to GET `target`; checks the response is a 200 listing `expected_rows` rows."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(target)
        assert response.status_code == 200
        # Streaming or lazy content is read inside the measurement, where its queries run.
        rows = rows_of(response)
    assert rows == expected_rows
    return len(ctx.captured_queries)


# --- My registrations ----------------------------------------------------------------------------------------


def test_my_registrations_has_no_n_plus_one(client):
    user = participant()
    client.force_login(user)
    target = reverse("consultations:my_registrations")

    def rows(response):
        return len(response.context["registrations"])

    # Waitlisted, so that the one query for waiting-list places (skipped when nobody waits) runs both times.
    RegistrationFactory(user=user, status=Status.WAITLISTED)
    one = _measure(client, target, expected_rows=1, rows_of=rows)
    for status in (Status.WAITLISTED, Status.PENDING, Status.CANCELLED, Status.CONFIRMED):
        consultation = ConsultationFactory(lead_organization=OrganizationFactory(), objectives=[objective(3)])
        RegistrationFactory.create_batch(2, consultation=consultation, status=Status.WAITLISTED)
        RegistrationFactory(consultation=consultation, user=user, status=status)
    assert _measure(client, target, expected_rows=5, rows_of=rows) == one


# --- Participant exports -------------------------------------------------------------------------------------


def _csv_rows(response) -> int:
    return len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) - 1


def _xlsx_rows(response) -> int:
    return openpyxl.load_workbook(io.BytesIO(response.content)).active.max_row - 1


@pytest.mark.parametrize(("fmt", "rows_of"), [("csv", _csv_rows), ("xlsx", _xlsx_rows)])
@pytest.mark.parametrize("role", [ReviewMembership.Role.ORGANIZER, ReviewMembership.Role.SECRETARIAT])
def test_participant_export_has_no_n_plus_one(client, fmt, rows_of, role):
    consultation = ConsultationFactory(capacity=20)
    client.force_login(team_member(consultation.review, role))
    target = reverse("consultations:export", kwargs={"slug": consultation.slug, "fmt": fmt})

    RegistrationFactory(consultation=consultation)
    one = _measure(client, target, expected_rows=1, rows_of=rows_of)
    for _ in range(3):
        RegistrationFactory(
            consultation=consultation, user=ProfileFactory(organization=OrganizationFactory()).user
        )
    RegistrationFactory.create_batch(2, consultation=consultation, status=Status.WAITLISTED)
    RegistrationFactory(consultation=consultation, user=None, status=Status.CANCELLED)
    assert _measure(client, target, expected_rows=7, rows_of=rows_of) == one


# --- Admin changelists ---------------------------------------------------------------------------------------


def _changelist_rows(response) -> int:
    return len(response.context["cl"].result_list)


def test_consultation_changelist_has_no_n_plus_one(client):
    first = ConsultationFactory()
    client.force_login(team_member(first.review, admin_permissions=True))
    target = reverse("admin:consultations_consultation_changelist")
    one = _measure(client, target, expected_rows=1, rows_of=_changelist_rows)
    for _ in range(4):
        ConsultationFactory(review=first.review, lead_organization=OrganizationFactory())
    ConsultationFactory()  # another review's: not listed
    assert _measure(client, target, expected_rows=5, rows_of=_changelist_rows) == one


def test_registration_changelist_has_no_n_plus_one(client):
    consultation = ConsultationFactory(capacity=20)
    client.force_login(team_member(consultation.review, admin_permissions=True))
    target = reverse("admin:consultations_registration_changelist")
    RegistrationFactory(consultation=consultation)
    one = _measure(client, target, expected_rows=1, rows_of=_changelist_rows)
    other = ConsultationFactory(review=consultation.review)
    RegistrationFactory.create_batch(3, consultation=consultation)
    RegistrationFactory.create_batch(2, consultation=other, status=Status.WAITLISTED)
    RegistrationFactory(consultation=consultation, user=None, status=Status.CANCELLED)
    RegistrationFactory(consultation=consultation, user=participant(), status=Status.PENDING)
    assert _measure(client, target, expected_rows=8, rows_of=_changelist_rows) == one


def test_key_message_changelist_has_no_n_plus_one(client):
    consultation = ConsultationFactory()
    client.force_login(
        team_member(consultation.review, ReviewMembership.Role.RAPPORTEUR, admin_permissions=True)
    )
    target = reverse("admin:consultations_keymessage_changelist")
    KeyMessageFactory(consultation=consultation)
    one = _measure(client, target, expected_rows=1, rows_of=_changelist_rows)
    KeyMessageFactory.create_batch(3, consultation=consultation, objectives=[5, 17])
    KeyMessageFactory.create_batch(2, consultation=ConsultationFactory(review=consultation.review))
    assert _measure(client, target, expected_rows=6, rows_of=_changelist_rows) == one
