"""Every change staff make to a consultation, its agenda, questions and documents, or its timeline entry, and
every erasure, is in the audit log under the name of whoever made or asked for it."""

from datetime import timedelta

import pytest
from django.urls import reverse

from consultations import services
from consultations.models import AgendaItem, BackgroundDocument, Consultation, GuidingQuestion, Registration
from gcm_portal.models import AuditEntry
from reviews.models import ReviewEvent
from tests.factories import StaffUserFactory, objective

from .admin_forms import consultation_change_data
from .factories import (
    AgendaItemFactory,
    ConsultationFactory,
    GuidingQuestionFactory,
    RegistrationFactory,
    participant,
    team_member,
)

pytestmark = pytest.mark.django_db


def _entries(prefix: str, *, after_id: int = 0) -> list[tuple[str, str, object]]:
    return [
        (entry.action, entry.object_id, entry.actor)
        for entry in AuditEntry.objects.filter(action__startswith=prefix, id__gt=after_id).order_by("id")
    ]


def test_admin_audits_agenda_questions_and_documents_by_the_staff_member(client):
    consultation = ConsultationFactory()
    services.sync_timeline_event(consultation=consultation)
    kept = AgendaItemFactory(consultation=consultation, title_en="Opening")
    question = GuidingQuestionFactory(consultation=consultation, text_en="What works?")
    gone = BackgroundDocument.objects.create(
        consultation=consultation, title_en="Old note", link="https://example.org/old.pdf"
    )
    organizer = team_member(consultation.review, admin_permissions=True)
    client.force_login(organizer)
    start = consultation.starts_at
    set_up = AuditEntry.objects.order_by("id").values_list("id", flat=True).last() or 0

    response = client.post(
        reverse("admin:consultations_consultation_change", args=[consultation.pk]),
        consultation_change_data(
            consultation,
            inlines={
                "agenda_items": [
                    {
                        "id": kept.pk,
                        "order": kept.order,
                        "starts_at": kept.starts_at,
                        "ends_at": kept.ends_at,
                        "kind": kept.kind,
                        "title_en": "Opening words",
                    },
                    {
                        "order": 9,
                        "starts_at": start + timedelta(minutes=15),
                        "ends_at": start + timedelta(minutes=45),
                        "kind": AgendaItem.Kind.DISCUSSION,
                        "title_en": "Open discussion",
                    },
                ],
                "guiding_questions": [
                    {
                        "id": question.pk,
                        "order": question.order,
                        "text_en": question.text_en,
                        "objectives": [objective(17).pk],
                    }
                ],
                "documents": [
                    {"id": gone.pk, "order": 0, "title_en": gone.title_en, "link": gone.link, "DELETE": "on"}
                ],
            },
        ),
    )

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    added = AgendaItem.objects.get(title_en="Open discussion")
    assert AgendaItem.objects.get(pk=kept.pk).title_en == "Opening words"
    assert list(GuidingQuestion.objects.get(pk=question.pk).objectives.values_list("number", flat=True)) == [
        17
    ]
    assert not BackgroundDocument.objects.filter(pk=gone.pk).exists()
    assert sorted(_entries("consultation.", after_id=set_up)) == sorted(
        [
            ("consultation.update", str(consultation.pk), organizer),
            ("consultation.agenda_item.update", str(kept.pk), organizer),
            ("consultation.agenda_item.create", str(added.pk), organizer),
            ("consultation.guiding_question.update", str(question.pk), organizer),
            ("consultation.document.delete", str(gone.pk), organizer),
        ]
    )
    changed = AuditEntry.objects.get(action="consultation.agenda_item.update")
    assert changed.after == {"consultation": consultation.pk, "changed_fields": ["title_en"]}
    assert AuditEntry.objects.get(action="consultation.guiding_question.update").after["changed_fields"] == [
        "objectives"
    ]
    assert AuditEntry.objects.get(action="consultation.document.delete").before == {
        "consultation": consultation.pk,
        "label": "Old note",
    }


def test_admin_delete_is_audited_and_takes_the_timeline_entry_along(client):
    consultation = ConsultationFactory()
    event = services.sync_timeline_event(consultation=consultation)
    organizer = team_member(consultation.review, admin_permissions=True)
    client.force_login(organizer)

    response = client.post(
        reverse("admin:consultations_consultation_delete", args=[consultation.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Consultation.objects.filter(pk=consultation.pk).exists()
    assert not ReviewEvent.objects.filter(pk=event.pk).exists()
    entry = AuditEntry.objects.get(action="consultation.delete")
    assert (entry.object_id, entry.actor) == (str(consultation.pk), organizer)
    assert (entry.before["slug"], entry.before["capacity"]) == (consultation.slug, consultation.capacity)


def test_admin_bulk_delete_is_audited_per_consultation(client):
    first = ConsultationFactory()
    second = ConsultationFactory(review=first.review)
    organizer = team_member(first.review, admin_permissions=True)
    client.force_login(organizer)
    response = client.post(
        reverse("admin:consultations_consultation_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Consultation.objects.exists()
    assert sorted(_entries("consultation.delete")) == sorted(
        [
            ("consultation.delete", str(first.pk), organizer),
            ("consultation.delete", str(second.pk), organizer),
        ]
    )


def test_a_consultation_with_registrations_is_not_deleted_nor_audited(client):
    registration = RegistrationFactory()
    consultation = registration.consultation
    client.force_login(team_member(consultation.review, admin_permissions=True))
    response = client.post(
        reverse("admin:consultations_consultation_delete", args=[consultation.pk]), {"post": "yes"}
    )
    # The admin lists the protected registrations instead of deleting.
    assert response.status_code == 200
    (protected,) = response.context["protected"]
    assert str(registration) in str(protected)
    assert Consultation.objects.filter(pk=consultation.pk).exists()
    assert not AuditEntry.objects.filter(action="consultation.delete").exists()


# --- The timeline entry ------------------------------------------------------------------------------------


def test_timeline_sync_names_the_actor_and_records_only_changes():
    consultation = ConsultationFactory(objectives=[objective(17)])
    staff = StaffUserFactory()

    event_id = services.sync_timeline_event(consultation=consultation, actor=staff).pk
    created = AuditEntry.objects.get(action="consultation.timeline_sync")
    assert (created.actor, created.object_id, created.before) == (staff, str(consultation.pk), {})
    assert (created.after["event"], created.after["objectives"]) == (event_id, [17])

    services.sync_timeline_event(consultation=consultation, actor=staff)
    assert AuditEntry.objects.filter(action="consultation.timeline_sync").count() == 1

    consultation.objectives.add(objective(23))
    other = StaffUserFactory()
    services.sync_timeline_event(consultation=consultation, actor=other)
    updated = AuditEntry.objects.filter(action="consultation.timeline_sync").latest("id")
    assert (updated.actor, updated.before["objectives"], updated.after["objectives"]) == (
        other,
        [17],
        [17, 23],
    )

    consultation.is_published = False
    services.sync_timeline_event(consultation=consultation, actor=staff)
    removed = AuditEntry.objects.filter(action="consultation.timeline_sync").latest("id")
    assert (removed.actor, removed.before["event"], removed.after) == (staff, event_id, {})
    assert not ReviewEvent.objects.filter(pk=event_id).exists()


def test_saving_a_consultation_audits_the_timeline_entry_under_the_same_actor():
    consultation = ConsultationFactory(is_published=False)
    staff = StaffUserFactory()
    consultation.is_published = True
    services.save_consultation(consultation=consultation, actor=staff)
    assert _entries("consultation.") == [
        ("consultation.timeline_sync", str(consultation.pk), staff),
        ("consultation.update", str(consultation.pk), staff),
    ]


# --- Erasure -----------------------------------------------------------------------------------------------


def test_erasure_names_the_person_who_asked_by_default():
    consultation = ConsultationFactory(capacity=1)
    user = participant()
    mine = services.register_participant(consultation_id=consultation.pk, user=user)
    services.erase_person(user=user)
    assert AuditEntry.objects.get(action="registration.erase_person").actor == user
    cancelled = AuditEntry.objects.get(action="registration.cancelled")
    assert (cancelled.object_id, cancelled.actor) == (str(mine.pk), user)


def test_erasure_names_the_staff_member_who_asked():
    consultation = ConsultationFactory(capacity=1)
    user = participant()
    services.register_participant(consultation_id=consultation.pk, user=user)
    staff = StaffUserFactory()
    from stakeholders import personal_data

    personal_data.registered_erasers()["consultations"](user=user, actor=staff)
    assert {
        e.actor
        for e in AuditEntry.objects.filter(action__in=["registration.erase_person", "registration.cancelled"])
    } == {staff}
    assert Registration.objects.get(consultation=consultation).user is None
