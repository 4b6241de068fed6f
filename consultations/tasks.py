"""Celery wrappers around the consultation services: ids and a locale in, one service call, nothing else."""

import logging

from celery import shared_task
from django.conf import settings
from django.utils import translation

logger = logging.getLogger(__name__)


# Fire and forget: no result is stored, so queueing it from a request never waits on the result store (whose
# reconnection retries take about 20 s when Redis is down).
@shared_task(name="consultations.send_registration_notice", ignore_result=True)
def send_registration_notice(*, notice_id: int, locale: str) -> None:
    """Send one registration e-mail in `locale`; a no-op if it was sent already or the person is gone."""
    from .services import deliver_notice

    with translation.override(locale):
        if not deliver_notice(notice_id=notice_id, locale=locale):
            logger.info("Registration notice %s already sent or its registrant is gone.", notice_id)


# Beat sends no arguments, so `locale` (None) means settings.LANGUAGE_CODE: the texts these tasks produce
# (audit notes, logs) are in it; each e-mail they queue carries the registrant's own language.


@shared_task(name="consultations.queue_day_before_reminders")
def queue_day_before_reminders(*, locale: str | None = None) -> None:
    """Hourly (Celery beat): queue the reminders for consultations starting within a day."""
    from .services import queue_day_before_reminders as queue

    with translation.override(locale or settings.LANGUAGE_CODE):
        logger.info("Queued %d consultation reminders.", queue())


@shared_task(name="consultations.queue_unsent_notices")
def queue_unsent_notices(*, locale: str | None = None) -> None:
    """Every five minutes (Celery beat): queue again the e-mails whose task never reached the broker."""
    from .services import queue_unsent_notices as queue

    with translation.override(locale or settings.LANGUAGE_CODE):
        logger.info("Queued %d unsent registration e-mails again.", queue())


@shared_task(name="consultations.purge_expired_personal_data")
def purge_expired_personal_data(*, locale: str | None = None) -> None:
    """Daily (Celery beat): detach registrations of long-past consultations from the people who made them."""
    from .services import purge_expired_personal_data as purge

    with translation.override(locale or settings.LANGUAGE_CODE):
        logger.info("Detached %d registrations past retention.", purge())
