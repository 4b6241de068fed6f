"""Personal-data retention: registrations of consultations that ended more than RETENTION_MONTHS ago are
detached from the people who made them (nightly, by Celery beat, or by `manage.py purge_personal_data`);
younger ones are kept, and the participation figures never change."""

import io
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from consultations import selectors, tasks
from consultations.models import Consultation, Registration
from gcm_portal.models import AuditEntry
from reports.selectors import participation_by_consultation

from .factories import ConsultationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

RETENTION = 6
Status = Registration.Status


def _ended(months_ago: int) -> Consultation:
    ended = timezone.now() - relativedelta(months=months_ago)
    consultation = ConsultationFactory(
        starts_at=ended - timedelta(hours=2), ends_at=ended, status=Consultation.Status.HELD
    )
    RegistrationFactory(consultation=consultation, status=Status.ATTENDED, gender="woman", region_key="arab")
    RegistrationFactory(consultation=consultation, status=Status.ATTENDED, gender="man", region_key="africa")
    RegistrationFactory(
        consultation=consultation, status=Status.CONFIRMED, gender="woman", region_key="europe"
    )
    RegistrationFactory(consultation=consultation, status=Status.WAITLISTED, gender="man", region_key="arab")
    RegistrationFactory(consultation=consultation, status=Status.CANCELLED, gender="woman", region_key="arab")
    return consultation


def _figures(consultation: Consultation) -> dict:
    """What the organizer's balance tables and the summary reports count, as plain values."""
    participants = selectors.participants(consultation_id=consultation.pk)
    confirmed = [r for r in participants if r.status in selectors.SEAT_STATUSES]
    waitlisted = [r for r in participants if r.status == Status.WAITLISTED]
    tables = selectors.balance_tables(consultation=consultation, confirmed=confirmed, waitlisted=waitlisted)
    report = participation_by_consultation(consultation_ids=[consultation.pk]).get(consultation.pk, {})
    return {
        "rows": len(participants),
        "seats_taken": selectors.seats_taken(consultation_id=consultation.pk),
        "balance": {
            table.key: [(row.key, row.confirmed, row.waitlisted) for row in table.rows] for table in tables
        },
        "report": {key: dict(value) if isinstance(value, dict) else value for key, value in report.items()},
    }


@pytest.fixture
def retention(settings):
    settings.RETENTION_MONTHS = RETENTION
    return RETENTION


def test_purges_past_retention_and_keeps_the_rest(retention):
    expired = _ended(retention + 1)
    recent = _ended(retention - 1)
    before = {c.pk: _figures(c) for c in (expired, recent)}
    people_recent = set(Registration.objects.filter(consultation=recent).values_list("user_id", flat=True))

    output = io.StringIO()
    call_command("purge_personal_data", stdout=output)
    assert f"Detached 5 registrations from consultations that ended over {retention} months ago." in (
        output.getvalue()
    )

    assert not Registration.objects.filter(consultation=expired, user__isnull=False).exists()
    assert Registration.objects.filter(consultation=expired).count() == 5
    assert set(Registration.objects.filter(consultation=recent).values_list("user_id", flat=True)) == (
        people_recent
    )
    assert None not in people_recent
    assert {c.pk: _figures(c) for c in (expired, recent)} == before
    assert before[expired.pk]["report"]["total"] == 3
    assert before[expired.pk]["balance"]["gender"] == [("man", 1, 1), ("woman", 2, 0)]


def test_the_boundary_is_retention_months_after_the_end(retention):
    now = timezone.now()
    just_inside = ConsultationFactory(
        starts_at=now - relativedelta(months=retention) + timedelta(hours=1),
        ends_at=now - relativedelta(months=retention) + timedelta(hours=3),
        status=Consultation.Status.HELD,
    )
    just_past = ConsultationFactory(
        starts_at=now - relativedelta(months=retention) - timedelta(hours=3),
        ends_at=now - relativedelta(months=retention) - timedelta(hours=1),
        status=Consultation.Status.HELD,
    )
    kept = RegistrationFactory(consultation=just_inside)
    purged = RegistrationFactory(consultation=just_past)

    from consultations.services import purge_expired_personal_data

    assert purge_expired_personal_data(now=now) == 1
    kept.refresh_from_db()
    purged.refresh_from_db()
    assert kept.user_id is not None
    assert purged.user_id is None
    (entry,) = AuditEntry.objects.filter(action="registration.retention_purge")
    assert (entry.object_id, entry.after) == (str(just_past.pk), {"detached": 1})


def test_the_nightly_task_purges_and_is_scheduled(retention, settings):
    expired = _ended(retention + 1)
    entry = settings.CELERY_BEAT_SCHEDULE["consultations-purge-expired-personal-data"]
    assert entry["task"] == tasks.purge_expired_personal_data.name
    assert entry["schedule"] <= 24 * 3600

    tasks.purge_expired_personal_data()

    assert not Registration.objects.filter(consultation=expired, user__isnull=False).exists()
    assert Registration.objects.filter(consultation=expired).count() == 5


def test_purged_people_no_longer_see_or_export_the_old_registration(retention, client):
    expired = _ended(retention + 1)
    registration = Registration.objects.filter(consultation=expired, status=Status.ATTENDED).first()
    user = registration.user

    tasks.purge_expired_personal_data()

    assert selectors.registrations_for_user(user=user) == []
    client.force_login(user)
    assert expired.title_en not in client.get("/en/consultations/my-registrations/").content.decode()
