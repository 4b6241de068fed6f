"""Pledges and written inputs in "Download my data" and "Delete my account"."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder

from pledges.models import Pledge, ProgressUpdate, SubmissionStatus, WrittenInput
from stakeholders import personal_data
from stakeholders.selectors import export_personal_data
from stakeholders.services import delete_account
from tests.pledges.factories import (
    OrganizationFactory,
    PledgeFactory,
    ProgressUpdateFactory,
    WrittenInputFactory,
    member_of,
)
from tests.stakeholders.factories import verified_user
from tests.stakeholders.helpers import rows_mentioning

pytestmark = pytest.mark.django_db

EMAIL = "karima.benali@example.org"


def karima(organization=None):
    user = verified_user(email=EMAIL, first_name="Karima", last_name="Benali")
    return member_of(organization or OrganizationFactory(), user=user, full_name="Karima Benali")


def pledge_rows_mentioning(text: str) -> list[str]:
    return [hit for hit in rows_mentioning(text) if hit.startswith("pledges.")]


def test_pledges_app_registers_its_exporter_and_eraser():
    assert "pledges" in personal_data.registered_exporters()
    assert "pledges" in personal_data.registered_erasers()


def test_export_holds_the_persons_submissions_and_not_anothers():
    person = karima()
    organization = person.profile.organization
    mine = PledgeFactory(
        organization=organization,
        created_by=person,
        title_en="Karima's centres",
        contact_name="Karima Benali",
        contact_email=EMAIL,
    )
    draft = PledgeFactory(
        organization=organization, created_by=person, status=SubmissionStatus.DRAFT, published_at=None
    )
    written = WrittenInputFactory(organization=organization, created_by=person, text_en="My own input")
    ProgressUpdateFactory(pledge=mine, created_by=person, narrative="Opened in Tangier")
    colleague = member_of(organization)
    theirs = PledgeFactory(organization=organization, created_by=colleague, title_en="Colleague's pledge")
    named = PledgeFactory(organization=organization, created_by=colleague, contact_email=EMAIL.upper())

    data = json.loads(json.dumps(export_personal_data(person), cls=DjangoJSONEncoder))["pledges"]

    assert [row["id"] for row in data["pledges"]] == [mine.pk, draft.pk]
    first = data["pledges"][0]
    assert first["title"] == "Karima's centres"
    assert first["status"] == "published" and first["published_at"]
    assert (first["contact_name"], first["contact_email"]) == ("Karima Benali", EMAIL)
    assert first["objectives"] == [6]
    assert data["pledges"][1]["status"] == "draft"
    assert [row["id"] for row in data["written_inputs"]] == [written.pk]
    assert data["written_inputs"][0]["text"] == "My own input"
    assert [row["narrative"] for row in data["progress_updates"]] == ["Opened in Tangier"]
    assert [row["pledge_id"] for row in data["named_as_contact"]] == [named.pk]
    assert theirs.title_en not in json.dumps(data)


def test_export_of_a_person_without_submissions_is_empty():
    data = export_personal_data(karima())["pledges"]
    assert data == {"pledges": [], "written_inputs": [], "progress_updates": [], "named_as_contact": []}


def test_delete_account_keeps_published_pledges_and_erases_the_person(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    person = karima()
    organization = person.profile.organization
    published = PledgeFactory(
        organization=organization, created_by=person, contact_name="Karima Benali", contact_email=EMAIL
    )
    update = ProgressUpdateFactory(pledge=published, created_by=person)
    submitted = WrittenInputFactory(
        organization=organization, created_by=person, status=SubmissionStatus.SUBMITTED, published_at=None
    )
    draft_pledge = PledgeFactory(
        organization=organization,
        created_by=person,
        status=SubmissionStatus.DRAFT,
        published_at=None,
        contact_name="Karima Benali",
        contact_email=EMAIL,
    )
    draft_pledge.document.save("karima-benali.pdf", ContentFile(b"%PDF-1.4 draft"))
    draft_pledge.document_name = "karima-benali.pdf"
    draft_pledge.save()
    stored = tmp_path / draft_pledge.document.name
    draft_input = WrittenInputFactory(
        organization=organization, created_by=person, status=SubmissionStatus.DRAFT, published_at=None
    )
    colleague = member_of(organization)
    # A colleague's pledges: one names the person as contact, one names someone else.
    naming = PledgeFactory(
        organization=organization, created_by=colleague, contact_name="K. Benali", contact_email=EMAIL
    )
    other = PledgeFactory(organization=organization, created_by=colleague)
    colleague_draft = PledgeFactory(
        organization=organization, created_by=colleague, status=SubmissionStatus.DRAFT, published_at=None
    )
    assert pledge_rows_mentioning(EMAIL) and stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=person)

    published.refresh_from_db()
    assert published.status == SubmissionStatus.PUBLISHED
    assert published.organization == organization
    assert published.created_by is None
    assert (published.contact_name, published.contact_email) == ("", "")
    assert ProgressUpdate.objects.get(pk=update.pk).created_by is None
    submitted.refresh_from_db()
    assert submitted.created_by is None and submitted.status == SubmissionStatus.SUBMITTED
    assert not Pledge.objects.filter(pk=draft_pledge.pk).exists()
    assert not WrittenInput.objects.filter(pk=draft_input.pk).exists()
    assert not stored.exists()
    naming.refresh_from_db()
    assert (naming.contact_name, naming.contact_email, naming.created_by) == ("", "", colleague)
    other.refresh_from_db()
    assert other.contact_email == "private.contact@example.org"
    assert Pledge.objects.filter(pk=colleague_draft.pk).exists()
    for trace in (EMAIL, "Karima", "Benali"):
        assert pledge_rows_mentioning(trace) == [], trace


def test_a_namesake_in_another_organization_keeps_their_contact():
    person = karima()
    namesake = PledgeFactory(contact_name="Karima Benali", contact_email="k.benali@other.example")
    delete_account(user=person)
    namesake.refresh_from_db()
    assert (namesake.contact_name, namesake.contact_email) == ("Karima Benali", "k.benali@other.example")
