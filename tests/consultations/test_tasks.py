import logging

import pytest
from django.core import mail

from consultations import tasks
from consultations.models import RegistrationNotice

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_notice_task_sends_once_in_the_given_locale():
    registration = RegistrationFactory()
    notice = RegistrationNotice.objects.create(
        registration=registration, kind=RegistrationNotice.Kind.CONFIRMED
    )
    tasks.send_registration_notice(notice_id=notice.pk, locale="fr")
    tasks.send_registration_notice(notice_id=notice.pk, locale="fr")
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Votre place est confirmée")


def test_notice_task_logs_and_returns_when_the_notice_is_gone(caplog):
    with caplog.at_level(logging.INFO, logger="consultations.tasks"):
        tasks.send_registration_notice(notice_id=987654, locale="en")
    assert "already sent or its registrant is gone" in caplog.text
    assert not mail.outbox


def test_notice_task_skips_people_who_were_erased():
    registration = RegistrationFactory(user=None)
    notice = RegistrationNotice.objects.create(
        registration=registration, kind=RegistrationNotice.Kind.REMINDER
    )
    tasks.send_registration_notice(notice_id=notice.pk, locale="en")
    assert not mail.outbox


def test_beat_tasks_are_scheduled(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "consultations.queue_day_before_reminders",
        "consultations.purge_expired_personal_data",
    } <= tasks_scheduled
    tasks.queue_day_before_reminders()
    tasks.purge_expired_personal_data()


@pytest.mark.parametrize(
    ("task", "service"),
    [
        ("queue_day_before_reminders", "queue_day_before_reminders"),
        ("queue_unsent_notices", "queue_unsent_notices"),
        ("purge_expired_personal_data", "purge_expired_personal_data"),
    ],
)
def test_beat_tasks_run_their_service_in_the_given_locale_or_the_sites(settings, monkeypatch, task, service):
    from django.utils import translation

    from consultations import services

    seen = []
    monkeypatch.setattr(services, service, lambda: seen.append(translation.get_language()) or 0)
    settings.LANGUAGE_CODE = "en"
    with translation.override("ar"):
        getattr(tasks, task)(locale="fr")
        getattr(tasks, task)()
        getattr(tasks, task).delay(locale="ar")
    assert seen == ["fr", "en", "ar"]
