import pytest

from gcm_portal.celery import app as celery_app


@pytest.fixture(autouse=True)
def _tasks_run_in_process(settings):
    """E-mail tasks run in the test's process (after commit), so their e-mails land in mail.outbox."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the queued e-mails) of the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
