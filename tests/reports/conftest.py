import pytest

# Imported at collection: a shared task first imported inside celery's app fixture would be dropped from the
# project app when the fixture restores celery's state, and "generate" outside that fixture would then fail.
import reports.tasks  # noqa: F401
from reviews.models import ReviewMembership
from tests.factories import RegionalReviewFactory, StaffUserFactory

from .factories import ConsultationFactory, OutcomeDocumentFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Rendered PDFs land in a per-test directory, never in var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def review(db):
    return RegionalReviewFactory()


@pytest.fixture
def rapporteur(review):
    user = StaffUserFactory()
    ReviewMembership.objects.create(review=review, user=user, role=ReviewMembership.Role.RAPPORTEUR)
    return user


@pytest.fixture
def secretariat(review):
    """A member in one of MANAGING_ROLES: decides on the review's documents."""
    user = StaffUserFactory()
    ReviewMembership.objects.create(review=review, user=user, role=ReviewMembership.Role.SECRETARIAT)
    return user


@pytest.fixture
def organizer(review):
    user = StaffUserFactory()
    ReviewMembership.objects.create(review=review, user=user, role=ReviewMembership.Role.ORGANIZER)
    return user


@pytest.fixture
def consultation(review):
    return ConsultationFactory(review=review)


@pytest.fixture
def outcome(review):
    return OutcomeDocumentFactory(review=review)


@pytest.fixture
def queued_tasks(monkeypatch):
    """Render tasks queued on commit, recorded instead of sent to the broker."""
    from reports import tasks

    sent: list[dict] = []
    monkeypatch.setattr(tasks.render_document, "delay", lambda **kwargs: sent.append(kwargs))
    return sent


@pytest.fixture(scope="session")
def celery_includes():
    # The embedded test worker knows only the tasks imported before it starts.
    return ["gcm_portal.celery", "reports.tasks"]
