"""The secretariat's queue in the admin: what each staff member sees, and decisions with a reason."""

import json
import os

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from gcm_portal.models import AuditEntry
from pledges import services
from pledges.models import Pledge, SubmissionStatus, WrittenInput
from reviews.models import PledgeForm, ReviewMembership
from tests.factories import RegionalReviewFactory, StaffUserFactory, stakeholder_group
from tests.pledges.factories import PledgeFactory, WrittenInputFactory, member_of
from tests.pledges.helpers import counted_get

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/pledges/pledge/"
INPUTS_CHANGELIST = "/en/admin/pledges/writteninput/"


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


# --- Query counts of the queues -------------------------------------------------------------------------


def submitted(factory, **kwargs):
    author = member_of(kwargs.pop("organization", None))
    return factory(
        organization=author.profile.organization,
        created_by=author,
        status=SubmissionStatus.SUBMITTED,
        published_at=None,
        **kwargs,
    )


def test_pledge_queue_query_count_does_not_grow_with_rows(client, superuser):
    submitted(PledgeFactory)
    client.force_login(superuser)
    one = counted_get(client, CHANGELIST)
    assert one.response.status_code == 200 and one.response.context["cl"].result_count == 1
    forms = list(PledgeForm.objects.all())
    for number in range(6):
        submitted(PledgeFactory, form=forms[number % len(forms)])
    submitted(PledgeFactory, form=None)
    PledgeFactory(status=SubmissionStatus.SUBMITTED, published_at=None)  # created by nobody (staff import)
    many = counted_get(client, CHANGELIST)
    assert many.response.status_code == 200 and many.response.context["cl"].result_count == 9
    assert many.body.decode().count("Confirmed") >= 8
    assert many.queries == one.queries


def test_written_input_queue_query_count_does_not_grow_with_rows(client, superuser):
    submitted(WrittenInputFactory)
    client.force_login(superuser)
    one = counted_get(client, INPUTS_CHANGELIST)
    assert one.response.status_code == 200 and one.response.context["cl"].result_count == 1
    groups = ["academia", "trade_unions", "migrants", "civil_society"]
    for number in range(7):
        submitted(
            WrittenInputFactory,
            review=RegionalReviewFactory(),
            stakeholder_group=stakeholder_group(groups[number % len(groups)]),
        )
    many = counted_get(client, INPUTS_CHANGELIST)
    assert many.response.status_code == 200 and many.response.context["cl"].result_count == 8
    assert many.queries == one.queries


# --- Deleting (superusers only) -------------------------------------------------------------------------


@pytest.fixture
def stored_pledge(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pledge = submitted(PledgeFactory, title_en="Spam pledge")
    pledge.document.save("spam.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    pledge.document_name = "spam.pdf"
    pledge.save()
    return pledge


def test_superuser_delete_is_audited_and_removes_the_file(
    client, superuser, stored_pledge, django_capture_on_commit_callbacks
):
    path = stored_pledge.document.path
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{CHANGELIST}{stored_pledge.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Pledge.objects.filter(pk=stored_pledge.pk).exists()
    assert not os.path.exists(path)
    entry = AuditEntry.objects.get(action="pledge.delete")
    assert entry.actor == superuser and entry.object_id == str(stored_pledge.pk)
    assert entry.before["title_en"] == "Spam pledge" and entry.before["status"] == SubmissionStatus.SUBMITTED
    assert entry.before["document"] == "spam.pdf"
    assert "Private Contact Person" not in json.dumps(entry.before)


def test_bulk_delete_audits_each_submission(client, superuser, django_capture_on_commit_callbacks):
    inputs = [submitted(WrittenInputFactory) for _ in range(2)]
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            INPUTS_CHANGELIST,
            {"action": "delete_selected", "_selected_action": [i.pk for i in inputs], "post": "yes"},
        )
    assert response.status_code == 302
    assert not WrittenInput.objects.exists()
    entries = AuditEntry.objects.filter(action="writteninput.delete")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(str(i.pk) for i in inputs)
    assert {entry.actor for entry in entries} == {superuser}


def test_only_superusers_delete(client, queue, stored_pledge):
    review, waiting = queue
    staff = secretariat(review)
    staff.user_permissions.add(*Permission.objects.filter(codename="delete_pledge"))
    client.force_login(staff)
    assert client.post(f"{CHANGELIST}{waiting.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Pledge.objects.filter(pk=waiting.pk).exists()
    with pytest.raises(PermissionDenied):
        services.delete_submission(actor=staff, submission=stored_pledge)
    with pytest.raises(PermissionDenied):
        services.delete_submission(actor=stored_pledge.created_by, submission=stored_pledge)
    assert Pledge.objects.filter(pk=stored_pledge.pk).exists()
    assert not AuditEntry.objects.filter(action="pledge.delete").exists()
