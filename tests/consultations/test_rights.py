"""Who manages participants: the secretariat and organizers of the consultation's review (and superusers).
Rapporteurs write key messages but never see or change registrations; accessibility needs leave the site only
for the secretariat."""

import io

import openpyxl
import pytest
from django.urls import reverse

from consultations.models import Registration
from gcm_portal.models import AuditEntry
from reviews.models import ReviewMembership
from tests.factories import StaffUserFactory

from .factories import ConsultationFactory, ProfileFactory, RegistrationFactory, team_member

pytestmark = pytest.mark.django_db
Status = Registration.Status
Role = ReviewMembership.Role
NEEDS = "Step-free access and a sign-language interpreter"


def url(name, **kwargs):
    return reverse(f"consultations:{name}", kwargs=kwargs)


@pytest.fixture
def consultation():
    return ConsultationFactory(capacity=1)


# Not named `page`: that is the browser fixture's name, and pytest-django would order the test among the
# transactional browser tests.
@pytest.mark.parametrize(
    "page_url",
    [
        lambda c: url("organizer", slug=c.slug),
        lambda c: url("balance", slug=c.slug),
        lambda c: url("export", slug=c.slug, fmt="csv"),
        lambda c: url("export", slug=c.slug, fmt="xlsx"),
    ],
    ids=["organizer", "balance", "export-csv", "export-xlsx"],
)
def test_participant_pages_refuse_rapporteurs_and_admit_managing_roles(client, consultation, page_url):
    RegistrationFactory(consultation=consultation, user=ProfileFactory(full_name="Amina Diallo").user)
    target = page_url(consultation)

    client.force_login(team_member(consultation.review, Role.RAPPORTEUR))
    refused = client.get(target)
    assert refused.status_code == 403
    assert b"Amina Diallo" not in refused.content

    for role in (Role.ORGANIZER, Role.SECRETARIAT):
        client.force_login(team_member(consultation.review, role))
        assert client.get(target).status_code == 200


@pytest.mark.parametrize(
    ("action", "start"),
    [
        ("approve", Status.PENDING),
        ("decline", Status.CONFIRMED),
        ("cancel", Status.CONFIRMED),
        ("promote", Status.WAITLISTED),
    ],
)
def test_rapporteur_cannot_act_on_registrations_and_an_organizer_can(client, action, start):
    consultation = ConsultationFactory(capacity=2 if action == "promote" else 1)
    registration = RegistrationFactory(consultation=consultation, status=start)
    target = url("organizer_action", slug=consultation.slug, pk=registration.pk)

    client.force_login(team_member(consultation.review, Role.RAPPORTEUR))
    assert client.post(target, {"action": action}).status_code == 403
    registration.refresh_from_db()
    assert registration.status == start
    assert not AuditEntry.objects.filter(action__startswith="registration.").exists()

    organizer = team_member(consultation.review, Role.ORGANIZER)
    client.force_login(organizer)
    response = client.post(target, {"action": action})
    assert response.status_code == 302
    assert response["Location"] == url("organizer", slug=consultation.slug)
    registration.refresh_from_db()
    assert registration.status != start
    assert AuditEntry.objects.get(action__startswith="registration.").actor == organizer


def test_rapporteur_cannot_promote_through_the_balance_proposal(client):
    consultation = ConsultationFactory(capacity=1)
    waiting = RegistrationFactory(consultation=consultation, status=Status.WAITLISTED)
    target = url("balance", slug=consultation.slug)

    client.force_login(team_member(consultation.review, Role.RAPPORTEUR))
    assert client.post(target, {"registrations": [waiting.pk]}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED

    client.force_login(team_member(consultation.review, Role.ORGANIZER))
    assert client.post(target, {"registrations": [waiting.pk]}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_rapporteur_keeps_writing_key_messages(client, consultation):
    client.force_login(team_member(consultation.review, Role.RAPPORTEUR))
    response = client.get(url("key_messages", slug=consultation.slug))
    assert response.status_code == 200
    assert consultation.title_en in response.content.decode()


def test_organizer_link_on_the_page_only_for_managing_roles(client, consultation):
    link = url("organizer", slug=consultation.slug)
    client.force_login(team_member(consultation.review, Role.RAPPORTEUR))
    assert link not in client.get(consultation.get_absolute_url()).content.decode()
    client.force_login(team_member(consultation.review, Role.ORGANIZER))
    assert link in client.get(consultation.get_absolute_url()).content.decode()


# --- Accessibility needs in the export -----------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    import csv

    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx_rows(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _export_as(client, user, consultation, fmt):
    client.force_login(user)
    response = client.get(url("export", slug=consultation.slug, fmt=fmt))
    assert response.status_code == 200
    return _csv_rows(response) if fmt == "csv" else _xlsx_rows(response)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("who", "sees_needs"),
    [
        ("secretariat", True),
        ("superuser", True),
        ("organizer", False),
        ("organizer here, secretariat of another review", False),
    ],
)
def test_export_has_accessibility_needs_for_the_secretariat_and_superusers_only(
    client, consultation, fmt, who, sees_needs
):
    RegistrationFactory(
        consultation=consultation, user=ProfileFactory(full_name="Amina", accessibility_needs=NEEDS).user
    )
    user = {
        "secretariat": lambda: team_member(consultation.review, Role.SECRETARIAT),
        "superuser": lambda: StaffUserFactory(is_superuser=True),
        "organizer": lambda: team_member(consultation.review, Role.ORGANIZER),
        "organizer here, secretariat of another review": lambda: _also_secretariat_elsewhere(
            team_member(consultation.review, Role.ORGANIZER)
        ),
    }[who]()

    header, row = _export_as(client, user, consultation, fmt)

    assert ("Accessibility needs" in header) is sees_needs
    assert (NEEDS in row) is sees_needs
    assert row[header.index("Name")] == "Amina"
    assert len(header) == len(row) == (12 if sees_needs else 11)


def _also_secretariat_elsewhere(user):
    ReviewMembership.objects.create(review=ConsultationFactory().review, user=user, role=Role.SECRETARIAT)
    return user


# --- The registrations admin -------------------------------------------------------------------------------


def test_registration_admin_is_for_managing_roles_only(client, consultation):
    registration = RegistrationFactory(consultation=consultation)
    changelist = reverse("admin:consultations_registration_changelist")

    client.force_login(team_member(consultation.review, Role.RAPPORTEUR, admin_permissions=True))
    assert list(client.get(changelist).context["cl"].queryset) == []
    response = client.post(changelist, {"action": "decline", "_selected_action": [registration.pk]})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED

    client.force_login(team_member(consultation.review, Role.ORGANIZER, admin_permissions=True))
    assert list(client.get(changelist).context["cl"].queryset) == [registration]
