"""Registering while the Celery broker (Redis) is down: the registration is saved and confirmed to the person,
never a 500; the e-mail it owes stays in the outbox (RegistrationNotice.sent_at empty) and goes out once the
broker is back, through the outbox sweep that beat runs every few minutes."""

import contextlib
import logging
from datetime import timedelta

import pytest
import redis.connection
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultations import services, tasks
from consultations.models import Registration, RegistrationNotice
from gcm_portal.celery import app as celery_app

from .factories import ConsultationFactory, RegistrationFactory, participant

DEAD_REDIS = "redis://127.0.0.1:1/0"
# Fail fast: no publish retries and short connect timeouts, so the test shows the outage handling, not waits.
OUTAGE = {
    "task_always_eager": False,
    "broker_url": DEAD_REDIS,
    "result_backend": DEAD_REDIS,
    "broker_connection_timeout": 0.5,
    "broker_connection_retry": False,
    "broker_connection_max_retries": 0,
    "task_publish_retry_policy": {"max_retries": 0},
    "redis_socket_connect_timeout": 0.5,
    "redis_socket_timeout": 0.5,
    # The result store's own reconnection retries (about 20 s by default) for tasks that keep results.
    "result_backend_transport_options": {"retry_policy": {"max_retries": 0}},
}


def _drop_connections() -> None:
    # Producer pool and result backend are built once from the configuration: rebuild them after a change.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@contextlib.contextmanager
def broker_down():
    saved = {key: celery_app.conf[key] for key in OUTAGE}
    celery_app.conf.update(OUTAGE)
    _drop_connections()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        _drop_connections()


@pytest.fixture
def connection_attempts(monkeypatch) -> list[tuple[str, int]]:
    """(host, port) of every Redis connection attempt (the broker and the result store use redis-py)."""
    attempts = []
    connect = redis.connection.Connection._connect

    def counted(self, *args, **kwargs):
        attempts.append((self.host, self.port))
        return connect(self, *args, **kwargs)

    monkeypatch.setattr(redis.connection.Connection, "_connect", counted)
    return attempts


def _age_notices(minutes: int = 10) -> None:
    # Time passing: the sweep leaves notices alone for their first minutes.
    RegistrationNotice.objects.update(created_at=timezone.now() - timedelta(minutes=minutes))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_registration_with_the_broker_down_is_saved_and_mailed_once_it_is_back(
    client, caplog, connection_attempts
):
    user = participant()
    consultation = ConsultationFactory()
    client.force_login(user)
    url = reverse("consultations:register", kwargs={"slug": consultation.slug})

    with broker_down(), caplog.at_level(logging.ERROR, logger="gcm_portal.tasks"):
        # What bounds the request's wait on a dead broker: no retries, short timeouts.
        assert {key: celery_app.conf[key] for key in OUTAGE} == OUTAGE
        # A real commit (transactional test): the after-commit queueing runs inside the request, as in production.
        response = client.post(url, {"interpretation_language": "fr"}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("consultations:my_registrations"), 302)]
    assert "Your place is confirmed." in response.content.decode()
    registration = Registration.objects.get(consultation=consultation, user=user)
    assert registration.status == Registration.Status.CONFIRMED
    notice = RegistrationNotice.objects.get(registration=registration)
    assert (notice.kind, notice.sent_at) == (RegistrationNotice.Kind.CONFIRMED, None)
    assert mail.outbox == []
    assert "consultations.send_registration_notice" in caplog.text
    assert "broker is unreachable" in caplog.text
    # One attempt (refused at once, or given up after redis_socket_connect_timeout): the request did not wait on
    # publish retries or on the result store's reconnections (with the defaults it tries three times).
    assert connection_attempts == [("127.0.0.1", 1)]

    # The broker is back (the consultations tests run tasks in process, as a worker would); beat's sweep runs.
    tasks.queue_unsent_notices.delay()
    assert mail.outbox == [], "a notice younger than the grace period may still be on its way"
    _age_notices()
    tasks.queue_unsent_notices.delay()
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert consultation.title_en in mail.outbox[0].subject + mail.outbox[0].body
    notice.refresh_from_db()
    assert notice.sent_at is not None

    tasks.queue_unsent_notices.delay()
    assert len(mail.outbox) == 1, "a sent notice is never sent again"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cancelling_with_the_broker_down_still_promotes_and_owes_both_e_mails(client):
    consultation = ConsultationFactory(capacity=1)
    holder = RegistrationFactory(consultation=consultation)
    waiting = RegistrationFactory(consultation=consultation, status=Registration.Status.WAITLISTED)
    client.force_login(holder.user)

    with broker_down():
        response = client.post(reverse("consultations:cancel", kwargs={"pk": holder.pk}))

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    owed = RegistrationNotice.objects.filter(sent_at__isnull=True).order_by("id")
    assert [notice.kind for notice in owed] == [
        RegistrationNotice.Kind.CANCELLED,
        RegistrationNotice.Kind.PROMOTED,
    ]

    _age_notices()
    assert services.queue_unsent_notices() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([holder.user.email, waiting.user.email])


@pytest.mark.django_db
def test_the_sweep_leaves_young_sent_erased_and_past_notices_alone():
    now = timezone.now()
    owed = RegistrationNotice.objects.create(registration=RegistrationFactory(), kind="confirmed")
    young = RegistrationNotice.objects.create(registration=RegistrationFactory(), kind="confirmed")
    RegistrationNotice.objects.create(registration=RegistrationFactory(), kind="confirmed", sent_at=now)
    erased = RegistrationNotice.objects.create(registration=RegistrationFactory(user=None), kind="cancelled")
    past_consultation = ConsultationFactory(
        starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3) + timedelta(hours=2)
    )
    past = RegistrationNotice.objects.create(
        registration=RegistrationFactory(consultation=past_consultation), kind="reminder"
    )
    RegistrationNotice.objects.exclude(pk=young.pk).update(created_at=now - timedelta(minutes=10))

    assert services.queue_unsent_notices(now=now) == 1

    assert [message.to for message in mail.outbox] == [[owed.registration.user.email]]
    assert set(RegistrationNotice.objects.filter(sent_at__isnull=True).values_list("pk", flat=True)) == {
        young.pk,
        erased.pk,
        past.pk,
    }


@pytest.mark.django_db
def test_the_sweep_writes_in_the_persons_language():
    registration = RegistrationFactory()
    profile = registration.user.profile
    profile.preferred_language = "ar"
    profile.save()
    RegistrationNotice.objects.create(registration=registration, kind="confirmed")
    _age_notices()

    services.queue_unsent_notices()

    (message,) = mail.outbox
    assert registration.consultation.title_ar in message.subject + message.body


def test_the_sweep_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["consultations-queue-unsent-notices"]
    assert entry["task"] == tasks.queue_unsent_notices.name
    assert entry["schedule"] <= 600
    # The grace period is shorter than the schedule is long, so an owed e-mail waits at most two runs.
    assert timedelta(seconds=entry["schedule"]) >= services.UNSENT_NOTICE_GRACE
