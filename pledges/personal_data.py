"""What pledges and written inputs hold about a person, for "Download my data" and "Delete my account".

Registered with `stakeholders.personal_data` from PledgesConfig.ready(). A submission belongs to the
organization, so deleting an account keeps every submission the secretariat has seen (submitted, published,
returned, declined) and only detaches the person from it; the person's own drafts, which never left the
organization, are erased.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q

from gcm_portal.audit import record_audit

from .models import Pledge, ProgressUpdate, Submission, SubmissionStatus, WrittenInput


def _emails_of(user) -> set[str]:
    from allauth.account.models import EmailAddress

    emails = {user.email} | set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return {email.strip().lower() for email in emails if email and email.strip()}


def _names_of(user) -> set[str]:
    from stakeholders.models import StakeholderProfile

    names = {user.get_full_name()} | set(
        StakeholderProfile.objects.filter(user=user).values_list("full_name", flat=True)
    )
    return {" ".join(name.split()) for name in names if name and name.strip()}


def _email_is(user) -> Q:
    condition = Q(pk__in=[])
    for email in _emails_of(user):
        condition |= Q(contact_email__iexact=email)
    return condition


def _name_is(user) -> Q:
    """The person's name as contact, only where it cannot be a namesake: on pledges they created or of the
    organization the secretariat confirmed they represent (a self-declared one would let anybody export, or
    blank by deleting their account, another organization's contact by typing its name in their profile)."""
    from stakeholders.models import StakeholderProfile

    names = Q(pk__in=[])
    for name in _names_of(user):
        names |= Q(contact_name__iexact=name)
    confirmed = StakeholderProfile.objects.filter(user=user, organization_confirmed_at__isnull=False)
    theirs = Q(created_by=user) | Q(organization__in=confirmed.values("organization"))
    return names & theirs


def _contact_is(user) -> Q:
    """Pledges whose private contact person is `user` (by one of their e-mail addresses or names)."""
    return _email_is(user) | _name_is(user)


def _original(submission: Submission, field: str) -> str:
    return getattr(submission, f"{field}_{submission.original_language}", "") or ""


def _submission_data(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.pk,
        "organization": submission.organization.name,
        "language": submission.original_language,
        "title": _original(submission, "title"),
        "objectives": sorted(objective.number for objective in submission.objectives.all()),
        "status": submission.status,
        "decision_reason": submission.decision_reason,
        "document_name": submission.document_name,
        "created_at": submission.created_at,
        "updated_at": submission.updated_at,
        "submitted_at": submission.submitted_at,
        "decided_at": submission.decided_at,
        "published_at": submission.published_at,
    }


def _pledge_data(pledge: Pledge) -> dict[str, Any]:
    return _submission_data(pledge) | {
        "description": _original(pledge, "description"),
        "form": pledge.form.key if pledge.form_id else None,
        "indicator": pledge.indicator,
        "baseline": pledge.baseline,
        "target": pledge.target,
        "start_date": pledge.start_date,
        "end_date": pledge.end_date,
        "amount": pledge.amount,
        "currency": pledge.currency,
        "contact_name": pledge.contact_name,
        "contact_email": pledge.contact_email,
    }


def export_person(user) -> dict[str, Any]:
    """The pledges, written inputs and progress updates the person created, and the pledges naming them as
    contact person, for "Download my data"."""
    pledges = (
        Pledge.objects.filter(created_by=user)
        .select_related("organization", "form")
        .prefetch_related("objectives")
        .order_by("created_at", "id")
    )
    inputs = (
        WrittenInput.objects.filter(created_by=user)
        .select_related("organization", "review")
        .prefetch_related("objectives")
        .order_by("created_at", "id")
    )
    updates = ProgressUpdate.objects.filter(created_by=user).order_by("created_at", "id")
    named = (
        Pledge.objects.filter(_contact_is(user))
        .exclude(created_by=user)
        .select_related("organization")
        .order_by("created_at", "id")
    )
    return {
        "pledges": [_pledge_data(pledge) for pledge in pledges],
        "written_inputs": [
            _submission_data(item) | {"review": item.review.slug, "text": _original(item, "text")}
            for item in inputs
        ],
        "progress_updates": [
            {
                "pledge_id": update.pledge_id,
                "date": update.date,
                "implementation_status": update.implementation_status,
                "narrative": update.narrative,
                "indicator_value": update.indicator_value,
                "created_at": update.created_at,
            }
            for update in updates
        ],
        "named_as_contact": [
            {
                "pledge_id": pledge.pk,
                "organization": pledge.organization.name,
                "title": _original(pledge, "title"),
                "contact_name": pledge.contact_name,
                "contact_email": pledge.contact_email,
            }
            for pledge in named
        ],
    }


def erase_person(*, user, actor=None) -> None:
    """For a deleted account: erase the person's drafts (with their documents), blank the private contact
    fields that name them on any pledge, and detach them from every submission and progress update they
    created or decided on. Must run before the account's e-mail addresses and profile are deleted.
    `actor`: who asked for the erasure, named in the audit entry.

    Side effects: deletes draft Pledge / WrittenInput rows (their files after commit), updates contact
    fields and created_by / decided_by to NULL, records a `pledges.erase_person` audit entry (counts only).
    """
    with transaction.atomic():
        drafts: dict[str, int] = {}
        for model in (Pledge, WrittenInput):
            mine = model.objects.filter(created_by=user, status=SubmissionStatus.DRAFT)
            files = [name for name in mine.exclude(document="").values_list("document", flat=True) if name]
            drafts[model._meta.model_name] = mine.delete()[1].get(model._meta.label, 0)
            storage = model._meta.get_field("document").storage
            for name in files:
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        # Their e-mail address names them together with the name typed next to it.
        blanked = Pledge.objects.filter(_email_is(user)).update(contact_name="", contact_email="")
        blanked += Pledge.objects.filter(_name_is(user)).update(contact_name="")
        detached = 0
        for model in (Pledge, WrittenInput):
            detached += model.objects.filter(created_by=user).update(created_by=None)
            model.objects.filter(decided_by=user).update(decided_by=None)
        ProgressUpdate.objects.filter(created_by=user).update(created_by=None)
        record_audit(
            actor=actor,
            action="pledges.erase_person",
            after={"drafts_deleted": drafts, "contacts_blanked": blanked, "detached": detached},
        )
