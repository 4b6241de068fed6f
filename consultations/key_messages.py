"""Key messages: the services that change them, and the reads the rapporteur page, the coverage matrix and
the reports need. Who may change them: reviews.permissions.can_manage_review on the consultation's review."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet

from gcm_portal.audit import record_audit
from gcm_portal.richtext import reveal_bidi_controls
from reviews.models import Objective, RegionalReview

from .models import AgendaItem, Consultation, GuidingQuestion, KeyMessage

TEXT_FIELDS = tuple(f"text_{code}" for code, _name in settings.LANGUAGES)


def _snapshot(key_message: KeyMessage) -> dict[str, Any]:
    return {
        "kind": key_message.kind,
        "status": key_message.status,
        "order": key_message.order,
        "original_language": key_message.original_language,
        "agenda_item": key_message.agenda_item_id,
        "guiding_question": key_message.guiding_question_id,
        "objectives": sorted(o.number for o in key_message.objectives.all()),
        **{field: getattr(key_message, field) for field in TEXT_FIELDS},
    }


def _apply(
    key_message: KeyMessage,
    *,
    kind: str,
    objectives: Iterable[Objective],
    texts: dict[str, str],
    original_language: str,
    order: int,
    agenda_item: AgendaItem | None,
    guiding_question: GuidingQuestion | None,
) -> None:
    for part, owner in (("agenda item", agenda_item), ("guiding question", guiding_question)):
        if owner is not None and owner.consultation_id != key_message.consultation_id:
            raise ValueError(f"The {part} belongs to another consultation.")
    if not (texts.get(original_language) or "").strip():
        raise ValueError("The text in the original language is required.")
    key_message.kind = kind
    key_message.original_language = original_language
    key_message.order = order
    key_message.agenda_item = agenda_item
    key_message.guiding_question = guiding_question
    for code, _name in settings.LANGUAGES:
        setattr(key_message, f"text_{code}", (texts.get(code) or "").strip())
    key_message.save()
    key_message.objectives.set(objectives)


@transaction.atomic
def create_key_message(
    *,
    consultation: Consultation,
    actor,
    kind: str,
    objectives: Iterable[Objective],
    texts: dict[str, str],
    original_language: str,
    order: int = 0,
    agenda_item: AgendaItem | None = None,
    guiding_question: GuidingQuestion | None = None,
) -> KeyMessage:
    """Add a draft key message to a consultation.

    Side effects: inserts a KeyMessage and its objective links; writes an audit entry.
    """
    key_message = KeyMessage(
        consultation=consultation, created_by=actor if getattr(actor, "is_authenticated", False) else None
    )
    _apply(
        key_message,
        kind=kind,
        objectives=objectives,
        texts=texts,
        original_language=original_language,
        order=order,
        agenda_item=agenda_item,
        guiding_question=guiding_question,
    )
    record_audit(actor=actor, action="key_message.create", obj=key_message, after=_snapshot(key_message))
    return key_message


@transaction.atomic
def update_key_message(
    *,
    key_message: KeyMessage,
    actor,
    kind: str,
    objectives: Iterable[Objective],
    texts: dict[str, str],
    original_language: str,
    order: int = 0,
    agenda_item: AgendaItem | None = None,
    guiding_question: GuidingQuestion | None = None,
) -> KeyMessage:
    """Change a key message's content; its status stays as it was.

    Side effects: updates the KeyMessage and its objective links; writes an audit entry.
    """
    key_message = KeyMessage.objects.select_for_update().get(pk=key_message.pk)
    before = _snapshot(key_message)
    _apply(
        key_message,
        kind=kind,
        objectives=objectives,
        texts=texts,
        original_language=original_language,
        order=order,
        agenda_item=agenda_item,
        guiding_question=guiding_question,
    )
    record_audit(
        actor=actor, action="key_message.update", obj=key_message, before=before, after=_snapshot(key_message)
    )
    return key_message


@transaction.atomic
def set_key_message_status(*, key_message: KeyMessage, actor, status: str) -> KeyMessage:
    """Approve a key message (or send it back to draft). Only approved messages reach the reports.

    Side effects: updates KeyMessage.status; writes an audit entry when the status changes.
    """
    if status not in KeyMessage.Status.values:
        raise ValueError(f"Unknown key message status {status!r}.")
    key_message = KeyMessage.objects.select_for_update().get(pk=key_message.pk)
    if key_message.status == status:
        return key_message
    before = {"status": key_message.status}
    key_message.status = status
    key_message.save(update_fields=["status", "updated_at"])
    record_audit(
        actor=actor, action=f"key_message.{status}", obj=key_message, before=before, after={"status": status}
    )
    return key_message


@transaction.atomic
def delete_key_message(*, key_message: KeyMessage, actor) -> None:
    """Remove a key message.

    Side effects: deletes the KeyMessage; writes an audit entry with its last content.
    """
    before = _snapshot(key_message)
    record_audit(actor=actor, action="key_message.delete", obj=key_message, before=before)
    key_message.delete()


# --- Reads ---------------------------------------------------------------------------------------------


def key_messages_for_consultation(*, consultation: Consultation) -> QuerySet[KeyMessage]:
    return (
        KeyMessage.objects.filter(consultation=consultation)
        .select_related("agenda_item", "guiding_question")
        .prefetch_related(Prefetch("objectives", queryset=Objective.objects.order_by("number")))
        .order_by("kind", "order", "id")
    )


def group_key_messages_by_question(*, consultation: Consultation) -> list[dict[str, Any]]:
    """The rapporteur page's layout: one group per guiding question in the consultation's order, then the
    messages that answer none. Messages keep their kind-then-order order inside a group."""
    questions = list(consultation.guiding_questions.order_by("order", "id"))
    by_question: dict[int | None, list[KeyMessage]] = {q.pk: [] for q in questions}
    by_question[None] = []
    for key_message in key_messages_for_consultation(consultation=consultation):
        key_message.display_text = reveal_bidi_controls(key_message.text)
        by_question.setdefault(key_message.guiding_question_id, []).append(key_message)
    groups = [{"question": q, "key_messages": by_question[q.pk]} for q in questions]
    groups.append({"question": None, "key_messages": by_question[None]})
    return groups


def count_approved_key_messages_by_objective(*, review: RegionalReview) -> dict[int, int]:
    """The coverage matrix's key-message column: approved messages per objective number, in one query."""
    rows = (
        Objective.objects.filter(
            key_messages__consultation__review=review, key_messages__status=KeyMessage.Status.APPROVED
        )
        .annotate(count=Count("key_messages", distinct=True))
        .values_list("number", "count")
    )
    return dict(rows)
