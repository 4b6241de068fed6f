from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultations.forms import BackgroundDocumentForm
from consultations.models import Consultation, Registration
from gcm_portal.models import AuditEntry
from reviews.models import ReviewEvent, ReviewMembership
from tests.factories import StaffUserFactory, objective

from .factories import ConsultationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
Status = Registration.Status


def organizer_with_permissions(review):
    staff = StaffUserFactory()
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="consultations"))
    ReviewMembership.objects.create(review=review, user=staff, role=ReviewMembership.Role.ORGANIZER)
    return staff


def test_staff_see_only_the_consultations_of_their_reviews(client):
    mine, theirs = ConsultationFactory(), ConsultationFactory()
    client.force_login(organizer_with_permissions(mine.review))
    response = client.get(reverse("admin:consultations_consultation_changelist"))
    assert list(response.context["cl"].queryset) == [mine]
    # Another review's consultation is outside the admin's queryset: the admin's "does not exist" answer (a
    # redirect to the index with a warning), the same as for a consultation that does not exist at all.
    refused = client.get(reverse("admin:consultations_consultation_change", args=[theirs.pk]), follow=True)
    assert refused.redirect_chain == [(reverse("admin:index"), 302)]
    assert [str(m) for m in refused.context["messages"]] == [
        f"consultation with ID “{theirs.pk}” doesn’t exist. Perhaps it was deleted?"
    ]
    assert theirs.title_en not in refused.content.decode()
    registrations = client.get(reverse("admin:consultations_registration_changelist"))
    RegistrationFactory(consultation=theirs)
    assert list(registrations.context["cl"].queryset) == []


def test_bulk_approve_reports_notifies_and_audits(client, django_capture_on_commit_callbacks):
    consultation = ConsultationFactory(capacity=1, requires_approval=True)
    first = RegistrationFactory(consultation=consultation, status=Status.PENDING)
    second = RegistrationFactory(consultation=consultation, status=Status.PENDING)
    already = RegistrationFactory(consultation=consultation, status=Status.DECLINED)
    client.force_login(organizer_with_permissions(consultation.review))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:consultations_registration_changelist"),
            {"action": "approve", "_selected_action": [first.pk, second.pk, already.pk]},
            follow=True,
        )
    body = response.content.decode()
    assert "2 registrations approved." in body
    assert "1 registration was left as it was" in body
    statuses = {r.pk: r.status for r in Registration.objects.all()}
    assert statuses == {first.pk: Status.CONFIRMED, second.pk: Status.WAITLISTED, already.pk: Status.DECLINED}
    assert AuditEntry.objects.filter(action="registration.approve").count() == 2
    assert len(mail.outbox) == 2


def test_bulk_decline_promotes_from_the_waiting_list(client):
    consultation = ConsultationFactory(capacity=1)
    confirmed = RegistrationFactory(consultation=consultation, status=Status.CONFIRMED)
    waiting = RegistrationFactory(consultation=consultation, status=Status.WAITLISTED)
    client.force_login(organizer_with_permissions(consultation.review))
    response = client.post(
        reverse("admin:consultations_registration_changelist"),
        {"action": "decline", "_selected_action": [confirmed.pk]},
        follow=True,
    )
    assert "1 registration declined." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_adding_a_consultation_in_the_admin_puts_it_in_the_timeline(client):
    staff = StaffUserFactory(is_superuser=True)
    review = ConsultationFactory().review
    client.force_login(staff)
    add_url = reverse("admin:consultations_consultation_add")
    assert client.get(add_url).status_code == 200
    start = (timezone.now() + timedelta(days=40)).replace(hour=10, minute=0, second=0, microsecond=0)
    data = {
        "review": review.pk,
        "title_en": "Data and evidence",
        "title_fr": "Données et preuves",
        "title_ar": "البيانات والأدلة",
        "slug": "data-and-evidence",
        "summary_en": "<p>Hello<script>x</script></p>",
        "format": "online",
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": "10:00:00",
        "ends_at_0": start.strftime("%Y-%m-%d"),
        "ends_at_1": "12:00:00",
        "time_zone": "GMT",
        "interpretation_languages": '["ar", "en", "fr"]',
        "capacity": 100,
        "status": "draft",
        "is_published": "on",
        "balance_targets": "{}",
        "translation_status": "{}",
        "objectives": [objective(17).pk],
    }
    for prefix in ("agenda_items", "guiding_questions", "documents"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(add_url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    consultation = Consultation.objects.get(slug="data-and-evidence")
    assert "script" not in consultation.summary_en
    event = consultation.timeline_event
    assert event.kind == ReviewEvent.Kind.STAKEHOLDER_CONSULTATION and event.date_start == start.date()
    assert list(event.objectives.values_list("number", flat=True)) == [17]
    assert AuditEntry.objects.filter(action="consultation.create", object_id=str(consultation.pk)).exists()


def test_admin_refuses_an_illegal_status_change_and_an_unknown_time_zone():
    from consultations.forms import ConsultationAdminForm

    consultation = ConsultationFactory(status=Consultation.Status.REPORTED)
    form = ConsultationAdminForm(instance=consultation, data={"status": "open", "time_zone": "Moon/Base"})
    form.is_valid()
    assert "status" in form.errors and "time_zone" in form.errors


def test_background_documents_are_checked_by_content():
    consultation = ConsultationFactory()
    pdf = SimpleUploadedFile("note.pdf", b"%PDF-1.7\n" + b"0" * 200, content_type="application/pdf")
    form = BackgroundDocumentForm(
        data={"consultation": consultation.pk, "order": 0, "title": "Note"}, files={"file": pdf}
    )
    assert form.is_valid(), form.errors
    assert form.instance.content_type == "application/pdf" and form.instance.size == pdf.size
    disguised = SimpleUploadedFile("note.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    form = BackgroundDocumentForm(
        data={"consultation": consultation.pk, "order": 0, "title": "Note"},
        files={"file": disguised},
    )
    assert not form.is_valid() and "cannot be shared" in str(form.errors)
