import logging

from celery import shared_task
from django.utils import translation

from . import selectors, services

logger = logging.getLogger(__name__)


# Fire and forget: no result is stored, so queueing it from a request never waits on the result store (whose
# reconnection retries take about 20 s when Redis is down).
@shared_task(name="pledges.send_decision_email", ignore_result=True)
def send_decision_email_task(*, model: str, pk: int, locale: str) -> None:
    with translation.override(locale):
        submission = selectors.find_submission(model=model, pk=pk)
        if submission is None:
            logger.info("Decision e-mail skipped: %s %s no longer exists.", model, pk)
            return
        services.send_decision_email(submission=submission)
