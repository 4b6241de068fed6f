"""Staff change a consultation's capacity: never below the seats already confirmed, and new seats go to the
waiting list at once, in its order, as a freed seat would. Newcomers never overtake the waiting list."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import services
from consultations.models import Consultation, Registration, RegistrationNotice
from gcm_portal.models import AuditEntry
from reviews.models import ReviewMembership
from tests.factories import StaffUserFactory

from .admin_forms import consultation_change_data
from .factories import ConsultationFactory, RegistrationFactory, participant, team_member

pytestmark = pytest.mark.django_db
Status = Registration.Status


def _waiting(consultation, count):
    """`count` waitlisted registrations, joined one minute apart (the first is the head of the list)."""
    rows = RegistrationFactory.create_batch(count, consultation=consultation, status=Status.WAITLISTED)
    start = rows[0].waitlisted_at
    for offset, row in enumerate(rows):
        Registration.objects.filter(pk=row.pk).update(waitlisted_at=start + timedelta(minutes=offset))
    return rows


def _statuses(rows):
    return [Registration.objects.get(pk=row.pk).status for row in rows]


# --- The service ---------------------------------------------------------------------------------------------


def test_capacity_below_the_confirmed_seats_is_refused_and_nothing_changes():
    consultation = ConsultationFactory(capacity=3)
    RegistrationFactory.create_batch(3, consultation=consultation, status=Status.CONFIRMED)
    consultation.capacity = 2
    with pytest.raises(services.CapacityBelowSeats) as refused:
        services.save_consultation(consultation=consultation, actor=StaffUserFactory())
    assert refused.value.message == (
        "3 seats are already confirmed: the capacity cannot be lower. Cancel or decline registrations first."
    )
    assert Consultation.objects.get(pk=consultation.pk).capacity == 3
    assert not AuditEntry.objects.filter(action="consultation.update").exists()


def test_capacity_equal_to_the_confirmed_seats_is_allowed():
    consultation = ConsultationFactory(capacity=3)
    RegistrationFactory.create_batch(2, consultation=consultation, status=Status.CONFIRMED)
    consultation.capacity = 2
    services.save_consultation(consultation=consultation, actor=StaffUserFactory())
    assert Consultation.objects.get(pk=consultation.pk).capacity == 2


def test_saving_locks_the_consultation_row_first():
    consultation = ConsultationFactory()
    consultation.capacity = 20
    with CaptureQueriesContext(connection) as ctx:
        services.save_consultation(consultation=consultation, actor=StaffUserFactory())
    sql = [query["sql"] for query in ctx.captured_queries]
    locking = [n for n, q in enumerate(sql) if 'FROM "consultations_consultation"' in q and "FOR UPDATE" in q]
    saving = [n for n, q in enumerate(sql) if q.startswith('UPDATE "consultations_consultation"')]
    assert locking and saving and locking[0] < saving[0]


def test_a_capacity_rise_fills_the_new_seats_from_the_waiting_list_in_order(
    django_capture_on_commit_callbacks,
):
    consultation = ConsultationFactory(capacity=1)
    RegistrationFactory(consultation=consultation, status=Status.CONFIRMED)
    head, second, third = _waiting(consultation, 3)
    staff = StaffUserFactory()
    mail.outbox.clear()

    consultation.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        services.save_consultation(consultation=consultation, actor=staff)

    assert _statuses([head, second, third]) == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED]
    promotions = AuditEntry.objects.filter(action="registration.promote").order_by("id")
    assert [(e.object_id, e.actor) for e in promotions] == [(str(head.pk), staff), (str(second.pk), staff)]
    assert [e.after for e in promotions] == [{"status": "confirmed"}] * 2
    notices = RegistrationNotice.objects.filter(kind=RegistrationNotice.Kind.PROMOTED).order_by("id")
    assert [n.registration_id for n in notices] == [head.pk, second.pk]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([head.user.email, second.user.email])
    assert all(m.subject.startswith("A place is now yours") for m in mail.outbox)


def test_a_capacity_rise_larger_than_the_waiting_list_confirms_everyone_waiting():
    consultation = ConsultationFactory(capacity=1)
    waiting = _waiting(consultation, 2)
    consultation.capacity = 10
    services.save_consultation(consultation=consultation, actor=StaffUserFactory())
    assert _statuses(waiting) == [Status.CONFIRMED, Status.CONFIRMED]


def test_a_capacity_rise_promotes_nobody_when_a_refusal_rolls_back(django_capture_on_commit_callbacks):
    consultation = ConsultationFactory(capacity=2)
    RegistrationFactory.create_batch(2, consultation=consultation, status=Status.CONFIRMED)
    (waiting,) = _waiting(consultation, 1)
    consultation.capacity = 1
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.CapacityBelowSeats):
        services.save_consultation(consultation=consultation, actor=StaffUserFactory())
    assert _statuses([waiting]) == [Status.WAITLISTED]
    assert not RegistrationNotice.objects.exists() and mail.outbox == []


# --- The admin ---------------------------------------------------------------------------------------------


def test_admin_shows_a_clear_error_for_a_capacity_below_the_confirmed_seats(client):
    consultation = ConsultationFactory(capacity=2)
    RegistrationFactory.create_batch(2, consultation=consultation, status=Status.CONFIRMED)
    client.force_login(team_member(consultation.review, admin_permissions=True))
    response = client.post(
        reverse("admin:consultations_consultation_change", args=[consultation.pk]),
        consultation_change_data(consultation, capacity=1),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "capacity": [
            "2 seats are already confirmed: the capacity cannot be lower. "
            "Cancel or decline registrations first."
        ]
    }
    assert Consultation.objects.get(pk=consultation.pk).capacity == 2


def test_admin_capacity_rise_promotes_and_names_the_staff_member(client):
    consultation = ConsultationFactory(capacity=1)
    RegistrationFactory(consultation=consultation, status=Status.CONFIRMED)
    head, tail = _waiting(consultation, 2)
    organizer = team_member(consultation.review, admin_permissions=True)
    client.force_login(organizer)
    response = client.post(
        reverse("admin:consultations_consultation_change", args=[consultation.pk]),
        consultation_change_data(consultation, capacity=2),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _statuses([head, tail]) == [Status.CONFIRMED, Status.WAITLISTED]
    promotion = AuditEntry.objects.get(action="registration.promote")
    assert (promotion.object_id, promotion.actor) == (str(head.pk), organizer)
    update = AuditEntry.objects.get(action="consultation.update")
    assert (update.before["capacity"], update.after["capacity"], update.actor) == (1, 2, organizer)


def test_admin_capacity_is_for_managing_roles(client):
    consultation = ConsultationFactory(capacity=1)
    (waiting,) = _waiting(consultation, 1)
    client.force_login(
        team_member(consultation.review, ReviewMembership.Role.RAPPORTEUR, admin_permissions=True)
    )
    response = client.post(
        reverse("admin:consultations_consultation_change", args=[consultation.pk]),
        consultation_change_data(consultation, capacity=5),
    )
    assert response.status_code == 403
    assert Consultation.objects.get(pk=consultation.pk).capacity == 1
    assert _statuses([waiting]) == [Status.WAITLISTED]


# --- Newcomers and the waiting list ------------------------------------------------------------------------


def test_a_free_seat_goes_to_the_people_waiting_before_a_newcomer():
    consultation = ConsultationFactory(capacity=1)
    (waiting,) = _waiting(consultation, 1)
    newcomer = services.register_participant(consultation_id=consultation.pk, user=participant())
    waiting.refresh_from_db()
    assert (waiting.status, newcomer.status) == (Status.CONFIRMED, Status.WAITLISTED)
    from consultations.selectors import waitlist_position

    assert waitlist_position(newcomer) == 1
    assert RegistrationNotice.objects.get(registration=newcomer).kind == RegistrationNotice.Kind.WAITLISTED
    assert RegistrationNotice.objects.get(registration=waiting).kind == RegistrationNotice.Kind.PROMOTED


def test_a_newcomer_gets_a_seat_left_after_everyone_waiting_is_promoted():
    consultation = ConsultationFactory(capacity=3)
    first, second = _waiting(consultation, 2)
    newcomer = services.register_participant(consultation_id=consultation.pk, user=participant())
    assert _statuses([first, second]) == [Status.CONFIRMED, Status.CONFIRMED]
    assert newcomer.status == Status.CONFIRMED


def test_a_newcomer_is_confirmed_when_nobody_waits():
    consultation = ConsultationFactory(capacity=1)
    RegistrationFactory(consultation=consultation, status=Status.CANCELLED)
    newcomer = services.register_participant(consultation_id=consultation.pk, user=participant())
    assert newcomer.status == Status.CONFIRMED
