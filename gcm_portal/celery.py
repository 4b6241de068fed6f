import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gcm_portal.settings")

app = Celery("gcm_portal")
# Every CELERY_* setting (acks_late, reject_on_worker_lost, visibility timeout, eager mode) lives in
# gcm_portal/settings.py so web, worker and beat read one configuration.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="gcm_portal.ping")
def ping(*, value: str) -> str:
    """Round-trip check for the broker and a worker: returns what it was given."""
    return f"pong:{value}"
