"""gcm_portal.tasks: queueing after commit survives a broker that is down, in every app that queues tasks."""

import logging

import pytest
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from gcm_portal.celery import ping
from gcm_portal.tasks import enqueue, enqueue_on_commit
from pledges import services as pledge_services
from pledges.models import SubmissionStatus
from reports import services as report_services
from reports.models import RenderedDocument
from tests.consultations.test_broker_down import broker_down
from tests.factories import StaffUserFactory
from tests.pledges.factories import PledgeFactory
from tests.reports.factories import OutcomeDocumentFactory


class FakeTask:
    name = "tests.fake"

    def __init__(self, error: BaseException | None = None):
        self.error = error
        self.sent: list[dict] = []

    def delay(self, **kwargs):
        if self.error is not None:
            raise self.error
        self.sent.append(kwargs)


def _outage_runtime_error() -> RuntimeError:
    # What celery's Redis result consumer raises once its reconnection failed too.
    try:
        try:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:1.")
        except RedisConnectionError as exc:
            raise RuntimeError("Retry limit exceeded while trying to reconnect") from exc
    except RuntimeError as exc:
        return exc


def test_enqueue_sends_the_keyword_arguments():
    task = FakeTask()
    assert enqueue(task, notice_id=3, locale="ar") is True
    assert task.sent == [{"notice_id": 3, "locale": "ar"}]


@pytest.mark.parametrize(
    "error",
    [OperationalError("Error 111 connecting"), RedisConnectionError("refused"), _outage_runtime_error()],
    ids=["kombu", "redis", "result-store"],
)
def test_enqueue_logs_and_swallows_broker_errors(error, caplog):
    with caplog.at_level(logging.ERROR, logger="gcm_portal.tasks"):
        assert enqueue(FakeTask(error), pk=7) is False
    assert "Could not queue task tests.fake with {'pk': 7}: the broker is unreachable." in caplog.text


def test_enqueue_lets_other_errors_through():
    with pytest.raises(RuntimeError):
        enqueue(FakeTask(RuntimeError("a bug, not an outage")))
    with pytest.raises(ValueError):
        enqueue(FakeTask(ValueError("bad argument")))


def test_enqueue_on_commit_sends_only_after_commit(django_capture_on_commit_callbacks, db):
    task = FakeTask()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(task, pk=1)
        assert task.sent == []
    assert len(callbacks) == 1
    assert task.sent == [{"pk": 1}]


def test_a_real_dead_broker_is_reported_not_raised(caplog):
    # ping stores its result: this also goes through the result store's subscription.
    with broker_down(), caplog.at_level(logging.ERROR, logger="gcm_portal.tasks"):
        assert enqueue(ping, value="x") is False
    assert "gcm_portal.ping" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_pledge_decision_is_kept_when_its_e_mail_cannot_be_queued():
    pledge = PledgeFactory(status=SubmissionStatus.SUBMITTED, published_at=None)
    staff = StaffUserFactory(is_superuser=True)
    with broker_down():
        pledge_services.decide_submission(actor=staff, submission=pledge, decision="publish")
    pledge.refresh_from_db()
    assert pledge.status == SubmissionStatus.PUBLISHED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_renders_stay_queued_when_the_broker_is_down():
    outcome = OutcomeDocumentFactory()
    staff = StaffUserFactory(is_superuser=True)
    with broker_down():
        renders = report_services.generate_document(document=outcome, actor=staff, languages=["en"])
    assert [r.status for r in RenderedDocument.objects.filter(pk__in=[r.pk for r in renders])] == [
        RenderedDocument.Status.QUEUED
    ]
