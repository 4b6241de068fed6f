"""Writing outcome documents and summary reports, finalising them, and generating their PDFs.

Who may call what is decided by the views and the admin (reviews.permissions): writing needs a membership
on the review, finalising, reopening, publishing and generating one of MANAGING_ROLES."""

import logging
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation

from consultations.models import Consultation
from gcm_portal.audit import record_audit
from gcm_portal.richtext import sanitize_rich_text
from gcm_portal.tasks import enqueue_on_commit
from reviews.models import RegionalReview

from . import selectors
from .documents import build_html
from .models import ConsultationSummary, OutcomeDocument, RenderedDocument
from .rendering import render_pdf

logger = logging.getLogger(__name__)
LANGUAGE_CODES = selectors.LANGUAGE_CODES


class MissingTranslationsError(Exception):
    """The document cannot be final: some text lacks a language. `missing` says which (see
    selectors.missing_translations)."""

    def __init__(self, missing: list[dict[str, Any]]):
        self.missing = missing
        super().__init__(f"{len(missing)} text(s) lack a language.")


class DocumentIsFinalError(Exception):
    """A final document is reopened before it is changed."""


def _texts(obj, fields: Iterable[str]) -> dict[str, str]:
    return {
        f"{field}_{code}": getattr(obj, f"{field}_{code}") or ""
        for field in fields
        for code in LANGUAGE_CODES
    }


def _set_texts(obj, texts: dict[str, dict[str, str]], fields: Iterable[str]) -> None:
    for field in fields:
        for code in LANGUAGE_CODES:
            value = texts.get(field, {}).get(code)
            if value is not None:
                setattr(obj, f"{field}_{code}", sanitize_rich_text(value))


# --- Outcome documents -----------------------------------------------------------------------------------


@transaction.atomic
def save_outcome_document(
    *, review: RegionalReview, actor, texts: dict[str, dict[str, str]]
) -> OutcomeDocument:
    """Create or change the review's outcome document. `texts` is {section: {language: html}}; languages left
    out keep their text. Rich text is sanitised with nh3.

    Side effects: inserts or updates the OutcomeDocument; writes an audit entry. Raises DocumentIsFinalError
    if the document is final.
    """
    document, created = OutcomeDocument.objects.select_for_update().get_or_create(review=review)
    if document.status == OutcomeDocument.Status.FINAL:
        raise DocumentIsFinalError
    before = {} if created else _texts(document, OutcomeDocument.SECTIONS)
    _set_texts(document, texts, OutcomeDocument.SECTIONS)
    document.save()
    record_audit(
        actor=actor,
        action="outcome_document.create" if created else "outcome_document.update",
        obj=document,
        before=before,
        after=_texts(document, OutcomeDocument.SECTIONS),
    )
    return document


@transaction.atomic
def finalize_outcome_document(
    *, document: OutcomeDocument, actor, accept_fallback: bool = False
) -> OutcomeDocument:
    """Make the document final. Refused (MissingTranslationsError, listing what lacks which language) while a
    section or an approved key message of the review lacks a language, unless the actor explicitly accepts
    that the missing text is shown, marked, in another language.

    Side effects: updates the OutcomeDocument's status (and fallback acceptance); writes an audit entry.
    """
    document = OutcomeDocument.objects.select_for_update().get(pk=document.pk)
    if document.status == OutcomeDocument.Status.FINAL:
        return document
    missing = selectors.missing_translations(document=document)
    if missing and not accept_fallback:
        raise MissingTranslationsError(missing)
    now = timezone.now()
    document.status = OutcomeDocument.Status.FINAL
    document.finalized_at = now
    document.fallback_accepted_by = actor if missing else None
    document.fallback_accepted_at = now if missing else None
    document.save()
    record_audit(
        actor=actor,
        action="outcome_document.finalize",
        obj=document,
        before={"status": OutcomeDocument.Status.DRAFT},
        after={
            "status": document.status,
            "fallback_accepted": bool(missing),
            "missing": [
                {
                    "what": item.get("key") or f"key_message:{item['key_message'].pk}",
                    "languages": item["languages"],
                }
                for item in missing
            ],
        },
    )
    return document


@transaction.atomic
def reopen_outcome_document(*, document: OutcomeDocument, actor) -> OutcomeDocument:
    """Return a final document to draft so it can be changed; its published PDFs stop being public.

    Side effects: updates the OutcomeDocument; writes an audit entry.
    """
    document = OutcomeDocument.objects.select_for_update().get(pk=document.pk)
    if document.status == OutcomeDocument.Status.DRAFT:
        return document
    document.status = OutcomeDocument.Status.DRAFT
    document.fallback_accepted_by = None
    document.fallback_accepted_at = None
    document.finalized_at = None
    document.save()
    record_audit(
        actor=actor,
        action="outcome_document.reopen",
        obj=document,
        before={"status": OutcomeDocument.Status.FINAL},
        after={"status": document.status},
    )
    return document


def _delete_with_renders(
    *, document: OutcomeDocument | ConsultationSummary, actor, action: str, before: dict[str, Any]
) -> None:
    names = list(document.renders.exclude(file="").values_list("file", flat=True))
    record_audit(
        actor=actor,
        action=action,
        obj=document,
        before={**before, "renders": document.renders.count()},
    )
    document.delete()

    def delete_files() -> None:
        for name in names:
            default_storage.delete(name)

    # Only once the rows are gone for good: a rolled-back delete must still find its files.
    transaction.on_commit(delete_files)


@transaction.atomic
def delete_outcome_document(*, document: OutcomeDocument, actor) -> None:
    """Delete the review's outcome document with its rendered PDFs.

    Side effects: deletes the OutcomeDocument and its RenderedDocument rows; writes an audit entry with the
    texts it had; after commit, deletes the PDF files from the default storage.
    """
    document = OutcomeDocument.objects.select_for_update().get(pk=document.pk)
    _delete_with_renders(
        document=document,
        actor=actor,
        action="outcome_document.delete",
        before={
            "review": document.review_id,
            "status": document.status,
            **_texts(document, OutcomeDocument.SECTIONS),
        },
    )


# --- Consultation summaries ------------------------------------------------------------------------------


@transaction.atomic
def save_consultation_summary(
    *, consultation: Consultation, actor, texts: dict[str, dict[str, str]], status: str | None = None
) -> ConsultationSummary:
    """Create or change a consultation's summary report (introduction, next steps, draft/published).

    Side effects: inserts or updates the ConsultationSummary; writes an audit entry.
    """
    fields = ("introduction", "next_steps")
    summary, created = ConsultationSummary.objects.select_for_update().get_or_create(
        consultation=consultation
    )
    before = {} if created else {**_texts(summary, fields), "status": summary.status}
    _set_texts(summary, texts, fields)
    if status is not None:
        summary.status = ConsultationSummary.Status(status)
    summary.save()
    record_audit(
        actor=actor,
        action="consultation_summary.create" if created else "consultation_summary.update",
        obj=summary,
        before=before,
        after={**_texts(summary, fields), "status": summary.status},
    )
    return summary


@transaction.atomic
def delete_consultation_summary(*, summary: ConsultationSummary, actor) -> None:
    """Delete a consultation's summary report with its rendered PDFs.

    Side effects: deletes the ConsultationSummary and its RenderedDocument rows; writes an audit entry with the
    texts it had; after commit, deletes the PDF files from the default storage.
    """
    summary = ConsultationSummary.objects.select_for_update().get(pk=summary.pk)
    _delete_with_renders(
        document=summary,
        actor=actor,
        action="consultation_summary.delete",
        before={
            "consultation": summary.consultation_id,
            "status": summary.status,
            **_texts(summary, ("introduction", "next_steps")),
        },
    )


# --- Generating PDFs -------------------------------------------------------------------------------------


def document_inputs(*, document: OutcomeDocument | ConsultationSummary, language: str) -> dict[str, Any]:
    """Everything the document's PDF in `language` shows, as plain JSON (see selectors). Reads only."""
    if isinstance(document, OutcomeDocument):
        return selectors.outcome_document_inputs(document=document, language=language)
    return selectors.consultation_summary_inputs(summary=document, language=language)


def _source_filter(document: OutcomeDocument | ConsultationSummary) -> dict[str, Any]:
    if isinstance(document, OutcomeDocument):
        return {"outcome_document": document}
    return {"consultation_summary": document}


def _enqueue(rendered: RenderedDocument) -> None:
    # Imported here because the task module imports this one.
    from .tasks import render_document

    rendered_id, language = rendered.pk, rendered.language
    enqueue_on_commit(render_document, rendered_id=rendered_id, locale=language)


@transaction.atomic
def generate_document(
    *, document: OutcomeDocument | ConsultationSummary, actor, languages: Iterable[str] | None = None
) -> list[RenderedDocument]:
    """Queue one render per language. A language whose inputs are unchanged since a done (or still pending)
    render gets nothing new; changed inputs get a new version; a failed render of the same inputs is queued
    again.

    Side effects: inserts or updates RenderedDocument rows; queues render tasks after commit; writes one
    audit entry per queued render.
    """
    # Locked so versions are numbered one at a time, and re-read so the inputs are the stored content.
    document = type(document).objects.select_for_update().get(pk=document.pk)
    source = _source_filter(document)
    results = []
    for language in languages or LANGUAGE_CODES:
        inputs = document_inputs(document=document, language=language)
        digest = selectors.content_hash(inputs)
        rendered = RenderedDocument.objects.filter(**source, language=language, content_hash=digest).first()
        if rendered is not None and rendered.status != RenderedDocument.Status.FAILED:
            results.append(rendered)
            continue
        if rendered is None:
            latest = RenderedDocument.objects.filter(**source, language=language).aggregate(v=Max("version"))[
                "v"
            ]
            rendered = RenderedDocument.objects.create(
                **source,
                language=language,
                version=(latest or 0) + 1,
                content_hash=digest,
                inputs=inputs,
                is_public=inputs["is_public"],
                requested_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        else:
            rendered.status = RenderedDocument.Status.QUEUED
            rendered.failure_reason = ""
            rendered.requested_by = actor if getattr(actor, "is_authenticated", False) else None
            rendered.save(update_fields=["status", "failure_reason", "requested_by"])
        record_audit(
            actor=actor,
            action="rendered_document.queue",
            obj=rendered,
            after={"language": language, "version": rendered.version, "content_hash": digest},
        )
        _enqueue(rendered)
        results.append(rendered)
    return results


def _file_name(rendered: RenderedDocument) -> str:
    if rendered.outcome_document_id:
        slug = f"outcome-{rendered.outcome_document.review.slug}"
    else:
        slug = f"summary-{rendered.consultation_summary.consultation.slug}"
    return f"reports/{slug}-{rendered.language}-v{rendered.version}.pdf"


def render_queued_document(*, rendered_id: int) -> RenderedDocument | None:
    """Render one queued document from its stored inputs and keep the file. Idempotent: a done render is left
    alone, and a render redelivered after a worker died replaces any half-written file of its own. Returns
    None when the row no longer exists.

    Side effects: updates the RenderedDocument (rendering → done/failed, attempts + 1); writes the PDF to the
    default storage, replacing a file of the same name. Database and storage errors propagate so the task
    retries them. Writes no audit entry: the render was audited when it was queued, and the worker acts for
    no one.
    """
    with transaction.atomic():
        rendered = (
            RenderedDocument.objects.select_for_update(of=("self",))
            .select_related("outcome_document__review", "consultation_summary__consultation")
            .filter(pk=rendered_id)
            .first()
        )
        if rendered is None or rendered.status == RenderedDocument.Status.DONE:
            return rendered
        rendered.status = RenderedDocument.Status.RENDERING
        rendered.started_at = timezone.now()
        rendered.attempts += 1
        rendered.save(update_fields=["status", "started_at", "attempts"])

    try:
        with translation.override(rendered.language):
            pdf = render_pdf(build_html(rendered.inputs))
    except Exception as exc:
        # Layout errors are not transient: another attempt would fail the same way.
        logger.exception("Rendering %s failed", rendered)
        return mark_render_failed(rendered_id=rendered.pk, reason=f"{type(exc).__name__}: {exc}")
    for warning in pdf.warnings:
        logger.warning("WeasyPrint, %s: %s", rendered, warning)

    with transaction.atomic():
        rendered = RenderedDocument.objects.select_for_update().get(pk=rendered.pk)
        if rendered.status == RenderedDocument.Status.DONE:
            return rendered
        name = _file_name(rendered)
        if default_storage.exists(name):
            default_storage.delete(name)
        rendered.file.save(name.rsplit("/", 1)[-1], ContentFile(pdf.content), save=False)
        rendered.page_count = pdf.page_count
        rendered.size = len(pdf.content)
        rendered.status = RenderedDocument.Status.DONE
        rendered.failure_reason = ""
        rendered.finished_at = timezone.now()
        rendered.save(update_fields=["file", "page_count", "size", "status", "failure_reason", "finished_at"])
    return rendered


@transaction.atomic
def mark_render_failed(*, rendered_id: int, reason: str) -> RenderedDocument | None:
    """Record that a render gave up, with the reason shown to the organizer.

    Side effects: updates the RenderedDocument (status failed, reason, finished_at) unless it is already done
    or no longer exists.
    """
    rendered = RenderedDocument.objects.select_for_update().filter(pk=rendered_id).first()
    if rendered is None or rendered.status == RenderedDocument.Status.DONE:
        return rendered
    rendered.status = RenderedDocument.Status.FAILED
    rendered.failure_reason = reason[:2000]
    rendered.finished_at = timezone.now()
    rendered.save(update_fields=["status", "failure_reason", "finished_at"])
    return rendered


def record_render_task_failure(*, rendered_id: int | None, exc: BaseException) -> RenderedDocument | None:
    """What the render task does when it gives up for good (its retries exhausted, or an error it does not
    retry): the render is marked failed with the error as its reason, so the documents page stops showing it
    as pending and the organizer can generate it again.

    Side effects: updates the RenderedDocument through mark_render_failed; logs a warning.
    """
    reason = f"{type(exc).__name__}: {exc}"
    logger.warning("Render task for rendered document %s gave up: %s", rendered_id, reason)
    if rendered_id is None:
        return None
    return mark_render_failed(rendered_id=rendered_id, reason=reason)


def render_document_now(*, document: OutcomeDocument | ConsultationSummary, language: str) -> bytes:
    """Render synchronously and return the PDF's bytes (the render_document command).

    Side effects: none; nothing is stored, queued or audited.
    """
    with translation.override(language):
        return render_pdf(build_html(document_inputs(document=document, language=language))).content
