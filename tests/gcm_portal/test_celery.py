import pytest

from gcm_portal.celery import ping


@pytest.mark.worker
def test_task_round_trip_through_redis_and_a_real_worker(celery_app, celery_worker):
    from django.conf import settings

    assert celery_app.conf.broker_url == settings.REDIS_URL
    result = ping.delay(value="hello")
    assert result.get(timeout=20) == "pong:hello"


def test_project_settings_protect_tasks_from_worker_loss():
    from gcm_portal.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] >= 2 * app.conf.task_time_limit
