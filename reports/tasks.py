"""Celery wrappers around the report services. Render failures that are not transient are recorded by the
service; transient ones (database, storage) retry with backoff, and a task that still fails is recorded by
services.record_render_task_failure."""

import logging

from celery import Task, shared_task
from django.db import DatabaseError
from django.utils import translation

from . import services

logger = logging.getLogger(__name__)


class RenderTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        services.record_render_task_failure(rendered_id=kwargs.get("rendered_id"), exc=exc)


@shared_task(
    base=RenderTask,
    name="reports.render_document",
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
    reject_on_worker_lost=True,
    # Progress lives in RenderedDocument.status; no result is stored, so queueing from a request never waits on
    # the result store (whose reconnection retries take about 20 s when Redis is down).
    ignore_result=True,
)
def render_document(*, rendered_id: int, locale: str) -> None:
    """Render one RenderedDocument and store its file (see services.render_queued_document)."""
    with translation.override(locale):
        if services.render_queued_document(rendered_id=rendered_id) is None:
            logger.info("Rendered document %s no longer exists; nothing to do.", rendered_id)
