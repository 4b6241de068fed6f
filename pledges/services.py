"""Everything that changes pledges and written inputs: drafts, submission, the secretariat's decisions,
progress updates and the decision e-mail. Pledges and written inputs share one workflow:

    draft ──submit──▶ submitted ──publish──▶ published
      ▲                   │ ├──return──▶ returned ──submit──▶ submitted …
      └───────────────────┘ └──decline─▶ declined
"""

import datetime
import logging
import os
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from gcm_portal.audit import record_audit
from gcm_portal.tasks import enqueue_on_commit

from . import access, selectors
from .models import Pledge, ProgressUpdate, Submission, SubmissionStatus, WrittenInput
from .traffic_light import ImplementationStatus
from .validators import normalise_text, validate_pdf_document, validate_text_length

logger = logging.getLogger(__name__)

DECISIONS: dict[str, str] = {
    "publish": SubmissionStatus.PUBLISHED,
    "return": SubmissionStatus.RETURNED,
    "decline": SubmissionStatus.DECLINED,
}
# Returning and declining must tell the submitter why; publishing needs no reason.
DECISIONS_NEEDING_REASON = ("return", "decline")


class WorkflowError(ValidationError):
    """The submission is not in a state that allows this step (e.g. publishing a draft)."""


def _audit_value(obj: Submission, name: str) -> Any:
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
    if name == "document":
        return obj.document_name
    value = getattr(obj, field.attname)
    return str(value) if isinstance(value, Decimal | datetime.date) else value


# The audit log is append-only and outlives "delete my account": it records that a contact changed, never
# who the contact is.
PERSONAL_FIELDS = frozenset({"contact_name", "contact_email"})


def _snapshot(obj: Submission, names: list[str]) -> dict[str, Any]:
    snapshot = {}
    for name in names:
        if name in PERSONAL_FIELDS:
            snapshot[name] = "(set)" if getattr(obj, name, "") else ""
        elif name in obj.text_fields:
            snapshot.update(
                {f"{name}_{code}": getattr(obj, f"{name}_{code}") for code, _n in settings.LANGUAGES}
            )
        else:
            snapshot[name] = _audit_value(obj, name)
    return snapshot


def _apply_changes(obj: Submission, changes: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Set plain fields and the texts (in the submission's language); return relations to set after saving
    and the stored files that the change replaces."""
    language = changes.get("original_language") or obj.original_language
    if language != obj.original_language and obj.is_editable_by_submitter:
        # The submitter changed the language they write in: their text moves with it (a draft has no
        # translations yet, so nothing else is lost).
        for name in obj.text_fields:
            old = f"{name}_{obj.original_language}"
            setattr(obj, f"{name}_{language}", getattr(obj, old))
            setattr(obj, old, "")
    obj.original_language = language
    relations: dict[str, Any] = {}
    replaced_files: list[str] = []
    for name, value in changes.items():
        if name == "original_language":
            continue
        if name in obj.text_fields:
            setattr(obj, f"{name}_{language}", normalise_text(value))
        elif name == "document":
            if value is None:
                continue
            if obj.document:
                replaced_files.append(obj.document.name)
            if value is False:
                obj.document, obj.document_name, obj.document_size = None, "", 0
            else:
                validate_pdf_document(value)
                obj.document = value
                obj.document_name = os.path.basename(value.name)[:200]
                obj.document_size = value.size
        elif obj._meta.get_field(name).many_to_many:
            relations[name] = value
        else:
            setattr(obj, name, value)
    obj.mark_original_language()
    return relations, replaced_files


def _delete_files_on_commit(names: list[str], storage) -> None:
    for name in names:
        transaction.on_commit(lambda name=name: storage.delete(name))


def _save_draft(
    *,
    actor,
    model: type[Submission],
    submission: Submission | None,
    defaults: dict[str, Any],
    changes: dict[str, Any],
) -> Submission:
    organization_id = access.organization_id_of(actor)
    if organization_id is None:
        raise PermissionDenied("Only members of an organization submit on its behalf.")
    with transaction.atomic():
        if submission is None:
            obj = model(organization_id=organization_id, created_by=actor, **defaults)
            action = "create"
        else:
            obj = model.objects.select_for_update().get(pk=submission.pk)
            if not access.can_edit(actor, obj):
                raise PermissionDenied("This submission cannot be edited now.")
            action = "edit"
        names = list(changes)
        before = _snapshot(obj, names) if obj.pk else {}
        relations, replaced = _apply_changes(obj, changes)
        obj.save()
        for name, value in relations.items():
            getattr(obj, name).set(value)
        record_audit(
            actor=actor,
            action=f"{model._meta.model_name}.{action}",
            obj=obj,
            before=before,
            after=_snapshot(obj, names),
        )
        _delete_files_on_commit(replaced, obj.document.storage)
    return obj


def save_pledge_draft(*, actor, pledge: Pledge | None = None, changes: dict[str, Any]) -> Pledge:
    """Create a pledge draft for the actor's organization, or change one of its drafts (or a returned
    pledge); `changes` holds one form step's cleaned data. Texts are stored in `original_language`.

    Side effects: saves the pledge and its relations, stores an uploaded document under MEDIA_ROOT (and
    deletes the one it replaces after commit), records a `pledge.create` / `pledge.edit` audit entry.
    """
    return _save_draft(actor=actor, model=Pledge, submission=pledge, defaults={}, changes=changes)


class NotSubmitted(Exception):
    """The draft was saved but is not complete enough to submit; `errors` says what is missing."""

    def __init__(self, submission: Submission, errors: ValidationError):
        super().__init__(str(errors))
        self.submission = submission
        self.errors = errors


def save_written_input(
    *,
    actor,
    review=None,
    written_input: WrittenInput | None = None,
    changes: dict[str, Any],
    submit: bool = False,
) -> WrittenInput:
    """Create a written-input draft to `review` for the actor's organization, or change one; with `submit`,
    then send it to the secretariat.

    Side effects: as `save_pledge_draft` (audit `writteninput.create` / `writteninput.edit`), then as
    `submit_submission`. The draft stays saved when submitting fails: NotSubmitted says what is missing.
    """
    defaults = {}
    if written_input is None:
        defaults = {
            "review": review,
            "stakeholder_group_id": selectors.default_stakeholder_group_id(user=actor),
        }
    saved = _save_draft(
        actor=actor, model=WrittenInput, submission=written_input, defaults=defaults, changes=changes
    )
    if submit:
        try:
            return submit_submission(actor=actor, submission=saved)
        except ValidationError as exc:
            raise NotSubmitted(saved, exc) from exc
    return saved


def missing_for_submission(submission: Submission) -> dict[str, list[str]]:
    """What a submission still lacks before the secretariat can screen it, by field."""
    errors: dict[str, list[str]] = {}

    def need(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    def check_length(field: str) -> None:
        try:
            validate_text_length(getattr(submission, f"{field}_{submission.original_language}") or "")
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.messages)

    if not getattr(submission, f"title_{submission.original_language}"):
        need("title", _("Give a title."))
    if not submission.objectives.exists():
        need("objectives", _("Choose at least one GCM objective."))
    if isinstance(submission, Pledge):
        check_length("description")
        if submission.form_id is None:
            need("form", _("Choose the form of the pledge."))
        if not submission.indicator:
            need("indicator", _("Say how progress will be measured."))
        if not submission.target:
            need("target", _("Give the target."))
        if submission.start_date is None or submission.end_date is None:
            need("end_date", _("Give the start and end dates."))
        if submission.is_financial and (submission.amount is None or not submission.currency):
            need("amount", _("A financial pledge states its amount and currency."))
        if not (submission.contact_name and submission.contact_email):
            need("contact_name", _("Name a contact person with an e-mail address."))
    else:
        if getattr(submission, f"text_{submission.original_language}"):
            check_length("text")
        elif not submission.document:
            need("text", _("Write your input or attach it as a PDF."))
    return errors


def submit_submission(*, actor, submission: Submission) -> Submission:
    """Send a complete draft (or a returned submission) to the secretariat.

    Side effects: status becomes submitted, records a `<model>.submit` audit entry. Raises ValidationError
    (by field) when something is missing, PermissionDenied when the actor may not edit it.
    """
    model = type(submission)
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=submission.pk)
        if not access.can_edit(actor, obj):
            raise PermissionDenied("This submission cannot be submitted now.")
        errors = missing_for_submission(obj)
        if errors:
            raise ValidationError(errors)
        before = obj.status
        obj.status = SubmissionStatus.SUBMITTED
        obj.submitted_at = timezone.now()
        obj.save(update_fields=["status", "submitted_at", "updated_at"])
        record_audit(
            actor=actor,
            action=f"{model._meta.model_name}.submit",
            obj=obj,
            before={"status": before},
            after={"status": obj.status},
        )
    return obj


def decide_submission(*, actor, submission: Submission, decision: str, reason: str = "") -> Submission:
    """The secretariat publishes, returns for changes or declines a submitted pledge or written input.

    Side effects: changes the status (publication date on first publication), records a `<model>.<decision>`
    audit entry with the reason, and after commit queues the decision e-mail to the submitter in the
    language they wrote in. Raises WorkflowError unless the submission is waiting for a decision.
    """
    if decision not in DECISIONS:
        raise ValueError(f"Unknown decision {decision!r}")
    reason = reason.strip()
    if decision in DECISIONS_NEEDING_REASON and not reason:
        raise ValidationError({"reason": [_("Give the reason: it is sent to the submitter.")]})
    model = type(submission)
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=submission.pk)
        if not access.can_manage(actor, obj):
            raise PermissionDenied("Only the review's secretariat decides on this submission.")
        if obj.status != SubmissionStatus.SUBMITTED:
            raise WorkflowError(_("Only submitted items can be published, returned or declined."))
        before = {"status": obj.status, "decision_reason": obj.decision_reason}
        now = timezone.now()
        obj.status = DECISIONS[decision]
        obj.decision_reason = reason
        obj.decided_at = now
        obj.decided_by = actor
        if decision == "publish" and obj.published_at is None:
            obj.published_at = now
        obj.save(
            update_fields=[
                "status",
                "decision_reason",
                "decided_at",
                "decided_by",
                "published_at",
                "updated_at",
            ]
        )
        record_audit(
            actor=actor,
            action=f"{model._meta.model_name}.{decision}",
            obj=obj,
            before=before,
            after={"status": obj.status, "decision_reason": reason},
            note=reason,
        )
        _queue_decision_email(obj)
    return obj


def _queue_decision_email(obj: Submission) -> None:
    # Imported here: the task module calls back into this one.
    from .tasks import send_decision_email_task

    model_name, pk, locale = obj._meta.model_name, obj.pk, obj.original_language
    enqueue_on_commit(send_decision_email_task, model=model_name, pk=pk, locale=locale)


def send_decision_email(*, submission: Submission) -> bool:
    """E-mail the submitter the secretariat's latest decision, in the active language, at most once per
    decision. Returns whether an e-mail went out.

    Side effects: sends one e-mail, stores which decision it announced, records a `<model>.notified` audit
    entry (actor: system).
    """
    model = type(submission)
    with transaction.atomic():
        obj = model.objects.select_for_update(of=("self",)).select_related("created_by").get(pk=submission.pk)
        if obj.status not in DECISIONS.values() or obj.decided_at is None:
            return False
        decision_key = f"{obj.status}:{obj.decided_at.isoformat()}"[:80]
        recipient = obj.created_by.email if obj.created_by_id else ""
        if obj.notified_decision == decision_key or not recipient:
            return False
        context = {"submission": obj, "title": obj.localized_title.text, "kind": model._meta.verbose_name}
        subject = " ".join(render_to_string("pledges/email/decision_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("pledges/email/decision_body.txt", context),
            to=[recipient],
        )
        message.attach_alternative(render_to_string("pledges/email/decision_body.html", context), "text/html")
        message.send()
        obj.notified_decision = decision_key
        obj.save(update_fields=["notified_decision"])
        record_audit(
            actor=None, action=f"{model._meta.model_name}.notified", obj=obj, after={"decision": decision_key}
        )
    return True


def add_progress_update(
    *,
    actor,
    pledge: Pledge,
    date: datetime.date,
    implementation_status: str,
    narrative: str,
    indicator_value: Decimal | None = None,
) -> ProgressUpdate:
    """The pledger reports progress on a published pledge of their organization.

    Side effects: creates the update; when it is the latest one, copies its status and date onto the pledge
    (which moves the traffic light); records a `pledge.progress` audit entry.
    """
    with transaction.atomic():
        locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
        if not access.can_report_progress(actor, locked):
            raise PermissionDenied("Only the pledging organization reports progress on a published pledge.")
        if date > timezone.localdate():
            raise ValidationError({"date": [_("The date cannot be in the future.")]})
        if implementation_status not in ImplementationStatus.values:
            raise ValidationError({"implementation_status": [_("Choose an implementation status.")]})
        before = {
            "implementation_status": locked.implementation_status,
            "last_progress_on": locked.last_progress_on,
        }
        update = ProgressUpdate.objects.create(
            pledge=locked,
            date=date,
            implementation_status=implementation_status,
            narrative=narrative.strip(),
            indicator_value=indicator_value,
            created_by=actor,
        )
        if locked.last_progress_on is None or date >= locked.last_progress_on:
            locked.implementation_status = implementation_status
            locked.last_progress_on = date
            locked.save(update_fields=["implementation_status", "last_progress_on", "updated_at"])
        record_audit(
            actor=actor,
            action="pledge.progress",
            obj=locked,
            before=before,
            after={
                "implementation_status": locked.implementation_status,
                "last_progress_on": locked.last_progress_on,
                "update_id": update.pk,
            },
        )
    return update


def save_submission_by_staff(*, actor, submission: Submission, changed_fields: list[str]) -> Submission:
    """Staff edits in the admin (typically adding a translation): save and audit what changed.

    Side effects: saves the object, records a `<model>.staff_edit` audit entry with before and after.
    """
    model = type(submission)
    plain = [name for name in changed_fields if not _is_relation(model, name)]
    with transaction.atomic():
        before = {}
        if submission.pk:
            stored = model.objects.get(pk=submission.pk)
            before = {name: _audit_value(stored, name) for name in plain}
        submission.save()
        record_audit(
            actor=actor,
            action=f"{model._meta.model_name}.staff_edit",
            obj=submission,
            before=before,
            after={name: _audit_value(submission, name) for name in plain},
            note=", ".join(changed_fields),
        )
    return submission


def _is_relation(model: type[Submission], name: str) -> bool:
    return model._meta.get_field(name).many_to_many


def delete_submission(*, actor, submission: Submission) -> None:
    """A superuser deletes a pledge or written input (from the admin): spam, a duplicate, a test entry.

    Side effects: records a `<model>.delete` audit entry (status, organization, creator, titles and document
    name — never the contact person), deletes the row with its progress updates and relations, and deletes
    its stored document after commit. Raises PermissionDenied unless the actor is a superuser.
    """
    if not (actor is not None and actor.is_authenticated and actor.is_superuser):
        raise PermissionDenied("Only superusers delete submissions.")
    model = type(submission)
    with transaction.atomic():
        obj = model.objects.select_for_update().get(pk=submission.pk)
        document = obj.document.name if obj.document else ""
        record_audit(
            actor=actor,
            action=f"{model._meta.model_name}.delete",
            obj=obj,
            before={
                "status": obj.status,
                "organization": obj.organization_id,
                "created_by": obj.created_by_id,
                "document": obj.document_name,
                **_snapshot(obj, ["title"]),
            },
        )
        obj.delete()
        if document:
            _delete_files_on_commit([document], obj.document.storage)
