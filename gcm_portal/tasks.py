"""Queueing Celery tasks from the services. The change a task follows up on is already committed when the task
is sent, so a broker that is down must not turn it into an error page: the failure is logged and swallowed,
and whatever the task owed is picked up later (the consultations' outbox sweep re-queues unsent e-mails;
a render stays queued on the documents page and can be generated again)."""

import logging

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# kombu wraps the transport's connection errors in OperationalError; the Redis result backend, which
# subscribes to the task's result channel before the message is published, raises redis-py's own, or a
# RuntimeError caused by one once its reconnection attempt failed too.
BROKER_ERRORS = (OperationalError, RedisConnectionError, RedisTimeoutError)


def _caused_by_outage(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, BROKER_ERRORS):
            return True
        exc = exc.__cause__
    return False


def enqueue(task: Task, **kwargs) -> bool:
    """Send `task` with keyword arguments now. Returns False (and logs) when the broker cannot be reached."""
    try:
        task.delay(**kwargs)
    except (*BROKER_ERRORS, RuntimeError) as exc:
        if not _caused_by_outage(exc):
            raise
        logger.exception("Could not queue task %s with %s: the broker is unreachable.", task.name, kwargs)
        return False
    return True


def enqueue_on_commit(task: Task, **kwargs) -> None:
    """Send `task` once the current transaction commits (never, if it rolls back); a broker that is down by
    then is logged, not raised."""
    transaction.on_commit(lambda: enqueue(task, **kwargs))
