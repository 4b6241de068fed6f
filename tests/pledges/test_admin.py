"""The secretariat's queue in the admin: what each staff member sees, and decisions with a reason."""

import pytest
from django.contrib.auth.models import Permission

from gcm_portal.models import AuditEntry
from pledges.models import Pledge, SubmissionStatus
from reviews.models import ReviewMembership
from tests.factories import RegionalReviewFactory, StaffUserFactory
from tests.pledges.factories import PledgeFactory, WrittenInputFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/pledges/pledge/"


def secretariat(review):
    staff = StaffUserFactory()
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_pledge", "change_pledge", "view_writteninput", "change_writteninput"]
        )
    )
    ReviewMembership.objects.create(review=review, user=staff, role=ReviewMembership.Role.SECRETARIAT)
    return staff


@pytest.fixture
def queue():
    review = RegionalReviewFactory()
    waiting = PledgeFactory(status=SubmissionStatus.SUBMITTED, published_at=None, title_en="Waiting pledge")
    waiting.reviews.add(review)
    published = PledgeFactory(title_en="Already published")
    published.reviews.add(review)
    elsewhere = PledgeFactory(
        status=SubmissionStatus.SUBMITTED, published_at=None, title_en="Other review pledge"
    )
    elsewhere.reviews.add(RegionalReviewFactory())
    return review, waiting


def test_queue_opens_on_submitted_items_of_my_reviews(client, queue):
    review, _waiting = queue
    client.force_login(secretariat(review))
    html = client.get(CHANGELIST).content.decode()
    assert "Waiting pledge" in html
    assert "Already published" not in html and "Other review pledge" not in html
    html = client.get(CHANGELIST + "?queue=all").content.decode()
    assert "Already published" in html and "Other review pledge" not in html


def test_superuser_sees_every_review(client, queue, superuser):
    client.force_login(superuser)
    html = client.get(CHANGELIST).content.decode()
    assert "Waiting pledge" in html and "Other review pledge" in html


def test_decline_asks_for_a_reason_on_an_intermediate_page(client, queue, django_capture_on_commit_callbacks):
    review, waiting = queue
    staff = secretariat(review)
    client.force_login(staff)
    post = {"action": "decline_selected", "_selected_action": [waiting.pk]}
    response = client.post(CHANGELIST, post)
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    response = client.post(CHANGELIST, post | {"apply": "1", "reason": ""})
    assert response.status_code == 200  # the page again: a reason is required
    waiting.refresh_from_db()
    assert waiting.status == SubmissionStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(CHANGELIST, post | {"apply": "1", "reason": "Not a measurable commitment."})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (
        waiting.status == SubmissionStatus.DECLINED
        and waiting.decision_reason == "Not a measurable commitment."
    )
    entry = AuditEntry.objects.get(action="pledge.decline")
    assert entry.actor == staff and entry.note == "Not a measurable commitment."


def test_publish_from_the_admin(client, queue, django_capture_on_commit_callbacks):
    review, waiting = queue
    client.force_login(secretariat(review))
    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            CHANGELIST,
            {"action": "publish_selected", "_selected_action": [waiting.pk], "apply": "1", "reason": ""},
        )
    waiting.refresh_from_db()
    assert waiting.status == SubmissionStatus.PUBLISHED


def test_written_inputs_queue_is_per_review(client):
    review = RegionalReviewFactory()
    WrittenInputFactory(
        review=review, status=SubmissionStatus.SUBMITTED, published_at=None, title_en="Mine to screen"
    )
    WrittenInputFactory(status=SubmissionStatus.SUBMITTED, published_at=None, title_en="Not mine")
    client.force_login(secretariat(review))
    html = client.get("/en/admin/pledges/writteninput/").content.decode()
    assert "Mine to screen" in html and "Not mine" not in html


def test_staff_edit_adds_a_translation_with_an_audit_entry(client, superuser):
    pledge = PledgeFactory(
        original_language="fr", title_fr="Titre", title_en="", description_fr="d" * 400, description_en=""
    )
    client.force_login(superuser)
    page = client.get(f"/en/admin/pledges/pledge/{pledge.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "all"):
            value = [o.pk for o in value.all()]
        elif isinstance(value, list):
            value = [getattr(o, "pk", o) for o in value]
        elif hasattr(value, "pk"):
            value = value.pk
        data[name] = value
    data["title_en"] = "Title"
    data["translation_status"] = '{"fr": "official"}'
    data |= {"progress_updates-TOTAL_FORMS": 0, "progress_updates-INITIAL_FORMS": 0}
    response = client.post(f"/en/admin/pledges/pledge/{pledge.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Pledge.objects.get(pk=pledge.pk).title_en == "Title"
    entry = AuditEntry.objects.get(action="pledge.staff_edit")
    assert entry.after["title_en"] == "Title" and entry.actor == superuser
