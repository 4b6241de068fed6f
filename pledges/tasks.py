import logging

from celery import shared_task
from django.utils import translation

from . import selectors, services

logger = logging.getLogger(__name__)


@shared_task(name="pledges.send_decision_email")
def send_decision_email_task(*, model: str, pk: int, locale: str) -> None:
    with translation.override(locale):
        submission = selectors.find_submission(model=model, pk=pk)
        if submission is None:
            logger.info("Decision e-mail skipped: %s %s no longer exists.", model, pk)
            return
        services.send_decision_email(submission=submission)
