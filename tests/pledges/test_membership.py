"""Naming an organization in one's profile is not membership: only the secretariat's confirmation lets a
person act for all of its pledges and written inputs; everybody keeps owner rights on what they created."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone

from gcm_portal.models import AuditEntry
from pledges import access, services
from pledges.models import Pledge, SubmissionStatus
from stakeholders.selectors import export_personal_data
from stakeholders.services import delete_account
from tests.pledges.factories import (
    PledgeFactory,
    WrittenInputFactory,
    member_of,
    unconfirmed_member_of,
)
from tests.pledges.test_services import complete_changes

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% membership test\n"
CONTACT = "Private Contact Person"


def with_document(submission):
    submission.document.save("supporting.pdf", ContentFile(PDF), save=False)
    submission.document_name = "supporting.pdf"
    submission.save()
    return submission


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def colleague_draft():
    """A draft created by a confirmed member of its organization, with a document."""
    author = member_of()
    draft = PledgeFactory(
        organization=author.profile.organization,
        created_by=author,
        status=SubmissionStatus.DRAFT,
        published_at=None,
        title_en="Colleague draft pledge",
    )
    return with_document(draft)


# --- Someone who only named the organization ------------------------------------------------------------


def test_unconfirmed_person_cannot_see_or_edit_another_persons_draft(client, colleague_draft):
    client.force_login(unconfirmed_member_of(colleague_draft.organization))
    assert client.get(f"/en/pledges/{colleague_draft.pk}/").status_code == 404
    assert client.get(f"/en/pledges/{colleague_draft.pk}/edit/basics/").status_code == 404
    assert client.get(f"/en/pledges/{colleague_draft.pk}/document/").status_code == 404
    response = client.post(f"/en/pledges/{colleague_draft.pk}/edit/basics/", {"title": "Taken over"})
    assert response.status_code == 404
    assert client.post(f"/en/pledges/{colleague_draft.pk}/submit/").status_code == 404
    colleague_draft.refresh_from_db()
    assert colleague_draft.status == SubmissionStatus.DRAFT
    assert colleague_draft.title_en == "Colleague draft pledge"


def test_unconfirmed_person_sees_no_contact_and_reports_no_progress_on_a_published_pledge(client):
    pledge = with_document(PledgeFactory(created_by=member_of()))
    client.force_login(unconfirmed_member_of(pledge.organization))
    html = client.get(f"/en/pledges/{pledge.pk}/").content.decode()
    assert pledge.title_en in html and CONTACT not in html
    assert "Edit this pledge" not in html and "Report progress" not in html
    assert client.get(f"/en/pledges/{pledge.pk}/progress/").status_code == 404


def test_unconfirmed_person_cannot_edit_or_download_another_persons_written_input(client):
    author = member_of()
    written = with_document(
        WrittenInputFactory(
            organization=author.profile.organization,
            created_by=author,
            status=SubmissionStatus.DRAFT,
            published_at=None,
        )
    )
    client.force_login(unconfirmed_member_of(written.organization))
    assert client.get(f"/en/inputs/{written.pk}/edit/").status_code == 404
    assert client.get(f"/en/inputs/{written.pk}/document/").status_code == 404


def test_services_refuse_an_unconfirmed_person_on_another_persons_draft(colleague_draft):
    outsider = unconfirmed_member_of(colleague_draft.organization)
    with pytest.raises(PermissionDenied):
        services.save_pledge_draft(actor=outsider, pledge=colleague_draft, changes={"title": "Hijacked"})
    with pytest.raises(PermissionDenied):
        services.submit_submission(actor=outsider, submission=colleague_draft)
    assert Pledge.objects.get(pk=colleague_draft.pk).title_en == "Colleague draft pledge"
    assert not AuditEntry.objects.filter(actor=outsider).exists()


def test_access_rules_for_each_kind_of_person(colleague_draft):
    organization = colleague_draft.organization
    confirmed = member_of(organization)
    unconfirmed = unconfirmed_member_of(organization)
    assert access.is_owner(colleague_draft.created_by, colleague_draft)
    assert access.is_member(confirmed, colleague_draft) and access.can_edit(confirmed, colleague_draft)
    assert not access.is_member(unconfirmed, colleague_draft)
    assert not access.can_view(unconfirmed, colleague_draft)
    assert not access.can_view_private(unconfirmed, colleague_draft)
    assert access.organization_id_of(unconfirmed) == organization.pk
    assert access.confirmed_organization_id_of(unconfirmed) is None
    assert access.confirmed_organization_id_of(confirmed) == organization.pk


# --- The creator -----------------------------------------------------------------------------------------


def test_unconfirmed_creator_keeps_owner_rights_on_their_own_draft(client):
    author = unconfirmed_member_of()
    client.force_login(author)
    pledge = services.save_pledge_draft(actor=author, changes=complete_changes())
    with_document(pledge)
    assert pledge.created_by == author and pledge.organization == author.profile.organization
    html = client.get(f"/en/pledges/{pledge.pk}/").content.decode()
    assert "Nadia Contact" in html and "Edit this pledge" in html
    assert client.get(f"/en/pledges/{pledge.pk}/edit/basics/").status_code == 200
    response = client.get(f"/en/pledges/{pledge.pk}/document/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    response = client.post(f"/en/pledges/{pledge.pk}/submit/")
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == SubmissionStatus.SUBMITTED


def test_unconfirmed_creator_reports_progress_on_their_published_pledge(client):
    author = unconfirmed_member_of()
    pledge = PledgeFactory(organization=author.profile.organization, created_by=author)
    client.force_login(author)
    response = client.post(
        f"/en/pledges/{pledge.pk}/progress/",
        {
            "date": timezone.localdate().isoformat(),
            "implementation_status": "in_progress",
            "narrative": "Started.",
        },
    )
    assert response.status_code == 302
    assert pledge.progress_updates.get().created_by == author


def test_unconfirmed_person_may_send_a_written_input_and_edit_it(client):
    author = unconfirmed_member_of()
    written = WrittenInputFactory(
        organization=author.profile.organization,
        created_by=author,
        status=SubmissionStatus.DRAFT,
        published_at=None,
    )
    client.force_login(author)
    assert client.get(f"/en/inputs/{written.pk}/edit/").status_code == 200


# --- A confirmed member ---------------------------------------------------------------------------------


def test_confirmed_member_sees_and_edits_a_colleagues_draft(client, colleague_draft):
    member = member_of(colleague_draft.organization)
    client.force_login(member)
    html = client.get(f"/en/pledges/{colleague_draft.pk}/").content.decode()
    assert "Colleague draft pledge" in html and CONTACT in html
    assert client.get(f"/en/pledges/{colleague_draft.pk}/edit/basics/").status_code == 200
    assert client.get(f"/en/pledges/{colleague_draft.pk}/document/").status_code == 200
    services.save_pledge_draft(actor=member, pledge=colleague_draft, changes={"title": "Improved title"})
    assert Pledge.objects.get(pk=colleague_draft.pk).title_en == "Improved title"


def test_anonymous_gets_nothing_of_a_draft(client, colleague_draft):
    assert client.get(f"/en/pledges/{colleague_draft.pk}/").status_code == 404
    assert client.get(f"/en/pledges/{colleague_draft.pk}/document/").status_code == 404
    response = client.get(f"/en/pledges/{colleague_draft.pk}/edit/basics/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_revoked_confirmation_ends_the_colleagues_access(client, colleague_draft):
    member = member_of(colleague_draft.organization)
    client.force_login(member)
    assert client.get(f"/en/pledges/{colleague_draft.pk}/").status_code == 200
    type(member.profile).objects.filter(pk=member.profile.pk).update(organization_confirmed_at=None)
    assert client.get(f"/en/pledges/{colleague_draft.pk}/").status_code == 404


# --- My pledges and inputs ------------------------------------------------------------------------------


def test_my_page_lists_only_their_own_items_until_confirmed(client, colleague_draft):
    organization = colleague_draft.organization
    person = unconfirmed_member_of(organization)
    own = PledgeFactory(
        organization=organization, created_by=person, status=SubmissionStatus.DRAFT, published_at=None
    )
    own_input = WrittenInputFactory(organization=organization, created_by=person, title_en="My own input")
    colleague_input = WrittenInputFactory(organization=organization, title_en="Colleague input")
    client.force_login(person)
    response = client.get("/en/pledges/mine/")
    assert response.status_code == 200
    assert list(response.context["pledges"]) == [own]
    assert list(response.context["inputs"]) == [own_input]
    html = response.content.decode()
    assert "you submitted yourself" in html and "Other members of your organization" not in html
    assert "Colleague draft pledge" not in html and colleague_input.title_en not in html

    person.profile.organization_confirmed_at = timezone.now()
    person.profile.save()
    response = client.get("/en/pledges/mine/")
    assert {p.pk for p in response.context["pledges"]} == {own.pk, colleague_draft.pk}
    assert {i.pk for i in response.context["inputs"]} == {own_input.pk, colleague_input.pk}
    assert "Other members of your organization see the same list." in response.content.decode()


def test_my_page_for_other_people(client, colleague_draft):
    client.force_login(member_of())
    response = client.get("/en/pledges/mine/")
    assert response.status_code == 200
    assert list(response.context["pledges"]) == [] and list(response.context["inputs"]) == []
    client.logout()
    response = client.get("/en/pledges/mine/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- The secretariat's screening queue ------------------------------------------------------------------


def test_screening_queue_says_whether_the_submitter_is_a_confirmed_member(client, superuser):
    confirmed = member_of()
    PledgeFactory(
        organization=confirmed.profile.organization,
        created_by=confirmed,
        status=SubmissionStatus.SUBMITTED,
        published_at=None,
        title_en="From a confirmed member",
    )
    unconfirmed = unconfirmed_member_of()
    claimed = PledgeFactory(
        organization=unconfirmed.profile.organization,
        created_by=unconfirmed,
        status=SubmissionStatus.SUBMITTED,
        published_at=None,
        title_en="From a self-declared member",
    )
    client.force_login(superuser)
    response = client.get("/en/admin/pledges/pledge/")
    assert response.status_code == 200
    rows = {
        str(obj): response.context["cl"].model_admin.submitter_membership(obj)
        for obj in response.context["cl"].result_list
    }
    assert rows == {"From a confirmed member": "Confirmed", "From a self-declared member": "Not confirmed"}
    assert "Not confirmed" in response.content.decode()
    html = client.get(f"/en/admin/pledges/pledge/{claimed.pk}/change/").content.decode()
    assert "Not confirmed" in html


def test_written_input_queue_shows_the_label_too(client, superuser):
    unconfirmed = unconfirmed_member_of()
    WrittenInputFactory(
        organization=unconfirmed.profile.organization,
        created_by=unconfirmed,
        status=SubmissionStatus.SUBMITTED,
        published_at=None,
    )
    client.force_login(superuser)
    response = client.get("/en/admin/pledges/writteninput/")
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 1
    assert "Not confirmed" in response.content.decode()


# --- Personal data --------------------------------------------------------------------------------------


def test_a_self_declared_namesake_neither_exports_nor_erases_the_organizations_contact():
    pledge = PledgeFactory(contact_name="Nadia Contact", contact_email="nadia@example.org")
    impostor = unconfirmed_member_of(pledge.organization, full_name="Nadia Contact")
    assert export_personal_data(impostor)["pledges"]["named_as_contact"] == []
    delete_account(user=impostor)
    pledge.refresh_from_db()
    assert pledge.contact_name == "Nadia Contact" and pledge.contact_email == "nadia@example.org"


def test_a_confirmed_member_named_as_contact_finds_it_in_their_data():
    pledge = PledgeFactory(contact_name="Nadia Contact", contact_email="nadia@example.org")
    member = member_of(pledge.organization, full_name="Nadia Contact")
    named = export_personal_data(member)["pledges"]["named_as_contact"]
    assert [row["pledge_id"] for row in named] == [pledge.pk]
