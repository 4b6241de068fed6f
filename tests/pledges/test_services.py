"""The submission workflow: who may do what, in which state, and what it leaves behind."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gcm_portal.models import AuditEntry
from pledges import services
from pledges.models import Pledge, SubmissionStatus
from reviews.models import PledgeForm, ReviewMembership
from tests.factories import RegionalReviewFactory, StaffUserFactory, objective
from tests.pledges.factories import (
    LONG_TEXT_FR,
    OrganizationFactory,
    PledgeFactory,
    WrittenInputFactory,
    member_of,
)

pytestmark = pytest.mark.django_db


def complete_changes(**overrides):
    changes = {
        "original_language": "fr",
        "title": "Guichets uniques pour les travailleurs migrants",
        "description": LONG_TEXT_FR,
        "form": PledgeForm.objects.get(key="process"),
        "objectives": [objective(6), objective(17)],
        "indicator": "Personnes servies",
        "target": "30 000 par an",
        "start_date": datetime.date(2025, 1, 1),
        "end_date": datetime.date(2027, 12, 31),
        "contact_name": "Nadia Contact",
        "contact_email": "nadia@example.org",
    }
    return changes | overrides


def secretariat_of(review):
    staff = StaffUserFactory()
    ReviewMembership.objects.create(review=review, user=staff, role=ReviewMembership.Role.SECRETARIAT)
    return staff


def test_draft_is_stored_in_the_pledgers_language_and_audited():
    pledger = member_of()
    pledge = services.save_pledge_draft(actor=pledger, changes=complete_changes())
    assert pledge.status == SubmissionStatus.DRAFT
    assert pledge.organization == pledger.profile.organization
    assert pledge.title_fr == "Guichets uniques pour les travailleurs migrants"
    assert not pledge.title_en and not pledge.title_ar
    assert pledge.translation_status == {"fr": "official"}
    assert pledge.is_unverified("en") and not pledge.is_unverified("fr")
    assert sorted(pledge.objectives.values_list("number", flat=True)) == [6, 17]
    entry = AuditEntry.objects.get(action="pledge.create")
    assert entry.actor == pledger and entry.after["title_fr"] == pledge.title_fr


def test_audit_log_records_that_a_contact_changed_but_never_who_it_is():
    pledger = member_of()
    pledge = services.save_pledge_draft(actor=pledger, changes=complete_changes())
    services.save_pledge_draft(
        actor=pledger,
        pledge=pledge,
        changes={"contact_name": "Omar Other", "contact_email": "omar@example.org"},
    )
    logged = " ".join(str(e.before) + str(e.after) for e in AuditEntry.objects.all())
    assert AuditEntry.objects.filter(action__startswith="pledge.").count() == 2
    assert "(set)" in logged
    for personal in ("Nadia Contact", "nadia@example.org", "Omar Other", "omar@example.org"):
        assert personal not in logged


def test_changing_the_language_moves_the_draft_text():
    pledger = member_of()
    pledge = services.save_pledge_draft(actor=pledger, changes=complete_changes())
    services.save_pledge_draft(
        actor=pledger, pledge=pledge, changes={"original_language": "en", "title": "Centres"}
    )
    pledge.refresh_from_db()
    assert pledge.original_language == "en" and pledge.title_en == "Centres" and not pledge.title_fr
    assert pledge.description_en == LONG_TEXT_FR and not pledge.description_fr


def test_person_without_organization_cannot_pledge():
    from tests.pledges.factories import ProfileFactory

    loner = ProfileFactory(organization=None).user
    with pytest.raises(PermissionDenied):
        services.save_pledge_draft(actor=loner, changes=complete_changes())


def test_another_organizations_member_cannot_edit_a_draft():
    pledge = services.save_pledge_draft(actor=member_of(), changes=complete_changes())
    with pytest.raises(PermissionDenied):
        services.save_pledge_draft(actor=member_of(), pledge=pledge, changes={"title": "Hijacked"})


def test_colleague_of_the_same_organization_may_edit_the_draft():
    first = member_of()
    pledge = services.save_pledge_draft(actor=first, changes=complete_changes())
    colleague = member_of(first.profile.organization)
    services.save_pledge_draft(actor=colleague, pledge=pledge, changes={"title": "Nouveau titre"})
    pledge.refresh_from_db()
    assert pledge.title_fr == "Nouveau titre"


def test_incomplete_pledge_cannot_be_submitted():
    pledger = member_of()
    pledge = services.save_pledge_draft(
        actor=pledger, changes={"original_language": "en", "title": "Short", "description": "Too short"}
    )
    with pytest.raises(ValidationError) as caught:
        services.submit_submission(actor=pledger, submission=pledge)
    fields = caught.value.message_dict
    assert {"description", "objectives", "form", "indicator", "target", "end_date", "contact_name"} <= set(
        fields
    )
    pledge.refresh_from_db()
    assert pledge.status == SubmissionStatus.DRAFT


def test_financial_pledge_needs_amount_and_currency():
    pledger = member_of()
    pledge = services.save_pledge_draft(
        actor=pledger, changes=complete_changes(form=PledgeForm.objects.get(key="financial"))
    )
    with pytest.raises(ValidationError) as caught:
        services.submit_submission(actor=pledger, submission=pledge)
    assert set(caught.value.message_dict) == {"amount"}


def test_submitted_pledge_is_frozen_for_the_pledger():
    pledger = member_of()
    pledge = services.save_pledge_draft(actor=pledger, changes=complete_changes())
    services.submit_submission(actor=pledger, submission=pledge)
    with pytest.raises(PermissionDenied):
        services.save_pledge_draft(actor=pledger, pledge=pledge, changes={"title": "Late change"})


@pytest.fixture
def submitted():
    review = RegionalReviewFactory()
    pledger = member_of()
    pledge = services.save_pledge_draft(actor=pledger, changes=complete_changes(reviews=[review]))
    services.submit_submission(actor=pledger, submission=pledge)
    return pledge, pledger, review


def test_publish_sets_dates_audits_and_emails_in_the_pledgers_language(
    submitted, django_capture_on_commit_callbacks, eager_tasks
):
    pledge, pledger, review = submitted
    staff = secretariat_of(review)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_submission(actor=staff, submission=pledge, decision="publish")
    pledge.refresh_from_db()
    assert pledge.status == SubmissionStatus.PUBLISHED and pledge.published_at and pledge.decided_by == staff
    assert AuditEntry.objects.filter(action="pledge.publish", actor=staff).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [pledger.email]
    assert mail.outbox[0].subject.startswith("Publié")


def test_decline_needs_a_reason_and_sends_it(submitted, django_capture_on_commit_callbacks, eager_tasks):
    pledge, _pledger, review = submitted
    staff = secretariat_of(review)
    with pytest.raises(ValidationError):
        services.decide_submission(actor=staff, submission=pledge, decision="decline", reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_submission(
            actor=staff, submission=pledge, decision="decline", reason="Hors du champ du Pacte."
        )
    pledge.refresh_from_db()
    assert pledge.status == SubmissionStatus.DECLINED and pledge.decision_reason == "Hors du champ du Pacte."
    assert "Hors du champ du Pacte." in mail.outbox[0].body
    entry = AuditEntry.objects.get(action="pledge.decline")
    assert entry.before["status"] == "submitted" and entry.note == "Hors du champ du Pacte."


def test_decision_email_is_sent_once_even_if_the_task_runs_twice(submitted):
    pledge, _pledger, review = submitted
    services.decide_submission(
        actor=secretariat_of(review), submission=pledge, decision="return", reason="Précisez la cible."
    )
    assert services.send_decision_email(submission=pledge) is True
    assert services.send_decision_email(submission=pledge) is False
    assert len(mail.outbox) == 1


def test_returned_pledge_can_be_edited_and_resubmitted(submitted):
    pledge, pledger, review = submitted
    services.decide_submission(
        actor=secretariat_of(review), submission=pledge, decision="return", reason="Précisez."
    )
    services.save_pledge_draft(actor=pledger, pledge=pledge, changes={"target": "40 000 par an"})
    services.submit_submission(actor=pledger, submission=pledge)
    pledge.refresh_from_db()
    assert pledge.status == SubmissionStatus.SUBMITTED and pledge.target == "40 000 par an"


def test_only_submitted_items_can_be_decided(submitted):
    pledge, _pledger, review = submitted
    staff = secretariat_of(review)
    services.decide_submission(actor=staff, submission=pledge, decision="publish")
    with pytest.raises(services.WorkflowError):
        services.decide_submission(
            actor=staff, submission=pledge, decision="decline", reason="Changed my mind"
        )


def test_staff_of_another_review_cannot_decide(submitted):
    pledge, _pledger, _review = submitted
    other = secretariat_of(RegionalReviewFactory())
    with pytest.raises(PermissionDenied):
        services.decide_submission(actor=other, submission=pledge, decision="publish")


def test_rapporteur_cannot_decide(submitted):
    pledge, _pledger, review = submitted
    rapporteur = StaffUserFactory()
    ReviewMembership.objects.create(review=review, user=rapporteur, role=ReviewMembership.Role.RAPPORTEUR)
    with pytest.raises(PermissionDenied):
        services.decide_submission(actor=rapporteur, submission=pledge, decision="publish")


def test_pledger_cannot_decide_on_their_own_pledge(submitted):
    pledge, pledger, _review = submitted
    with pytest.raises(PermissionDenied):
        services.decide_submission(actor=pledger, submission=pledge, decision="publish")


def test_progress_update_moves_the_traffic_light():
    organization = OrganizationFactory()
    pledge = PledgeFactory(
        organization=organization, published_at=timezone.now() - datetime.timedelta(days=400)
    )
    assert pledge.traffic_light() == "overdue"
    pledger = member_of(organization)
    services.add_progress_update(
        actor=pledger,
        pledge=pledge,
        date=timezone.localdate(),
        implementation_status="in_progress",
        narrative="Opened.",
    )
    pledge.refresh_from_db()
    assert pledge.traffic_light() == "on_track" and pledge.last_progress_on == timezone.localdate()
    services.add_progress_update(
        actor=pledger,
        pledge=pledge,
        date=timezone.localdate() - datetime.timedelta(days=30),
        implementation_status="planning",
        narrative="An older report typed in late.",
    )
    pledge.refresh_from_db()
    assert pledge.implementation_status == "in_progress", "an older update does not replace the latest status"
    assert AuditEntry.objects.filter(action="pledge.progress").count() == 2


def test_progress_only_by_the_pledging_organization_on_published_pledges():
    pledge = PledgeFactory()
    with pytest.raises(PermissionDenied):
        services.add_progress_update(
            actor=member_of(),
            pledge=pledge,
            date=timezone.localdate(),
            implementation_status="fulfilled",
            narrative="x",
        )
    draft = PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None)
    with pytest.raises(PermissionDenied):
        services.add_progress_update(
            actor=member_of(draft.organization),
            pledge=draft,
            date=timezone.localdate(),
            implementation_status="fulfilled",
            narrative="x",
        )


def test_written_input_shares_the_workflow(django_capture_on_commit_callbacks):
    review = RegionalReviewFactory()
    author = member_of()
    written = services.save_written_input(
        actor=author,
        review=review,
        changes={
            "original_language": "ar",
            "title": "مساهمة بشأن هجرة اليد العاملة",
            "text": "نص " * 120,
            "stakeholder_group": author.profile.stakeholder_group,
            "objectives": [objective(6)],
            "document": None,
        },
        submit=True,
    )
    assert written.status == SubmissionStatus.SUBMITTED and written.title_ar
    staff = secretariat_of(review)
    with django_capture_on_commit_callbacks(execute=False):
        services.decide_submission(actor=staff, submission=written, decision="publish")
    assert AuditEntry.objects.filter(action="writteninput.publish").exists()


def test_written_input_without_text_or_pdf_is_saved_but_not_submitted():
    author = member_of()
    with pytest.raises(services.NotSubmitted) as caught:
        services.save_written_input(
            actor=author,
            review=RegionalReviewFactory(),
            changes={
                "original_language": "en",
                "title": "Only a title",
                "text": "",
                "objectives": [objective(2)],
            },
            submit=True,
        )
    assert caught.value.submission.status == SubmissionStatus.DRAFT
    assert "text" in caught.value.errors.message_dict


def test_staff_edit_in_admin_is_audited():
    pledge = PledgeFactory(original_language="fr", title_fr="Titre", title_en="")
    staff = StaffUserFactory(is_superuser=True)
    pledge.title_en = "Title"
    services.save_submission_by_staff(actor=staff, submission=pledge, changed_fields=["title_en"])
    entry = AuditEntry.objects.get(action="pledge.staff_edit")
    assert entry.before == {"title_en": ""} and entry.after == {"title_en": "Title"}


def test_written_input_factory_defaults_are_published():
    assert WrittenInputFactory().status == SubmissionStatus.PUBLISHED
    assert Pledge.objects.count() == 0
