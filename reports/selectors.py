"""Reads for the reports: participation figures, the annex, the missing-translation check, and the inputs of a
rendered document (everything it shows, resolved for one language, as plain JSON)."""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import translation

from consultations.models import AgendaItem, Consultation, KeyMessage, Registration
from gcm_portal.richtext import reveal_bidi_controls, sanitize_rich_text
from reviews.models import Objective, Region, RegionalReview, StakeholderGroup
from stakeholders.models import ReviewOrganization, StakeholderProfile

from .models import ConsultationSummary, OutcomeDocument, RenderedDocument

# Bump when the PDF templates change in a way that should make new versions of unchanged documents.
LAYOUT_VERSION = 1
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
COUNTED_STATUSES = (Registration.Status.CONFIRMED, Registration.Status.ATTENDED)
KIND_ORDER = {kind: index for index, kind in enumerate(KeyMessage.Kind.values)}


def _texts_in(obj, field: str) -> dict[str, str]:
    return {code: (getattr(obj, f"{field}_{code}") or "").strip() for code in LANGUAGE_CODES}


def _pick(texts: dict[str, str], language: str, *, prefer: str = "en") -> dict[str, Any]:
    """The text in `language`, or (marked as a fallback) in the preferred language, then any other."""
    if texts.get(language):
        return {"text": texts[language], "lang": language, "fallback": False}
    for code in (prefer, "en", *LANGUAGE_CODES):
        if texts.get(code):
            return {"text": texts[code], "lang": code, "fallback": True}
    return {"text": "", "lang": language, "fallback": False}


def _plain(texts: dict[str, str], language: str, *, prefer: str = "en") -> dict[str, Any]:
    picked = _pick(texts, language, prefer=prefer)
    picked["text"] = reveal_bidi_controls(picked["text"])
    return picked


def _rich(texts: dict[str, str], language: str) -> dict[str, Any]:
    picked = _pick(texts, language)
    picked["text"] = sanitize_rich_text(picked["text"])
    return picked


def content_hash(inputs: dict[str, Any]) -> str:
    encoded = json.dumps(inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


# --- Participation ---------------------------------------------------------------------------------------


def participation_by_consultation(*, consultation_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Counts of confirmed and attended registrations per consultation: total, and by the region, gender and
    stakeholder group snapshotted at registration. Counts only: no name ever leaves this function."""
    figures: dict[int, dict[str, Any]] = {}
    rows = (
        Registration.objects.filter(consultation_id__in=list(consultation_ids), status__in=COUNTED_STATUSES)
        .values("consultation_id", "region_key", "gender", "stakeholder_group_key")
        .annotate(count=Count("id"))
        .order_by()
    )
    for row in rows:
        entry = figures.setdefault(
            row["consultation_id"],
            {"total": 0, "region": defaultdict(int), "gender": defaultdict(int), "group": defaultdict(int)},
        )
        entry["total"] += row["count"]
        entry["region"][row["region_key"]] += row["count"]
        entry["gender"][row["gender"]] += row["count"]
        entry["group"][row["stakeholder_group_key"]] += row["count"]
    return figures


def _breakdown(
    counts: dict[str, int], labels: dict[str, dict[str, Any]], order: list[str]
) -> list[dict[str, Any]]:
    known = [key for key in order if counts.get(key)]
    unknown = sorted(key for key in counts if key not in labels and counts[key])
    rows = [{"key": key, "label": labels[key], "count": counts[key]} for key in known]
    rows += [{"key": key or "", "label": None, "count": counts[key]} for key in unknown]
    return rows


def _reference_labels(model, field: str, language: str) -> tuple[dict[str, dict[str, Any]], list[str]]:
    objects = list(model.objects.order_by("order", "key"))
    return {obj.key: _plain(_texts_in(obj, field), language) for obj in objects}, [obj.key for obj in objects]


# --- Missing translations --------------------------------------------------------------------------------


def missing_translations(*, document: OutcomeDocument) -> list[dict[str, Any]]:
    """What blocks the final status: each section, and each approved key message of the review, written in
    some languages but not all. Returns [{"kind": "section"|"key_message", "key"/"key_message": …,
    "languages": [missing codes]}]."""
    missing: list[dict[str, Any]] = []
    for key in OutcomeDocument.SECTIONS:
        texts = _texts_in(document, key)
        absent = [code for code in LANGUAGE_CODES if not texts[code]]
        if absent and len(absent) < len(LANGUAGE_CODES):
            missing.append({"kind": "section", "key": key, "languages": absent})
    key_messages = KeyMessage.objects.filter(
        consultation__review_id=document.review_id, status=KeyMessage.Status.APPROVED
    )
    lacking_a_language = Q()
    for code in LANGUAGE_CODES:
        lacking_a_language |= Q(**{f"text_{code}": ""}) | Q(**{f"text_{code}__isnull": True})
    key_messages = key_messages.filter(lacking_a_language)
    for key_message in key_messages.select_related("consultation").order_by(
        "consultation__starts_at", "kind", "order", "id"
    ):
        texts = _texts_in(key_message, "text")
        missing.append(
            {
                "kind": "key_message",
                "key_message": key_message,
                "text": reveal_bidi_controls(_pick(texts, key_message.original_language)["text"]),
                "languages": [code for code in LANGUAGE_CODES if not texts[code]],
            }
        )
    return missing


# --- Inputs of the documents -----------------------------------------------------------------------------


def _review_inputs(review: RegionalReview, language: str) -> dict[str, Any]:
    organizers = (
        ReviewOrganization.objects.filter(review=review, role=ReviewOrganization.Role.ORGANIZER)
        .select_related("organization")
        .order_by("order", "id")
    )
    return {
        "title": _plain(_texts_in(review, "title"), language),
        "slug": review.slug,
        "conference_start": review.conference_start.isoformat() if review.conference_start else None,
        "conference_end": review.conference_end.isoformat() if review.conference_end else None,
        "organizers": [link.organization.short_name for link in organizers],
    }


def _approved_key_messages(
    consultations: QuerySet[Consultation] | list[Consultation],
) -> QuerySet[KeyMessage]:
    return (
        KeyMessage.objects.filter(consultation__in=consultations, status=KeyMessage.Status.APPROVED)
        .prefetch_related(Prefetch("objectives", queryset=Objective.objects.only("id", "number")))
        .order_by("consultation__starts_at", "consultation_id", "order", "id")
    )


def _key_message_entry(
    key_message: KeyMessage, language: str, citation: dict[str, Any] | None
) -> dict[str, Any]:
    entry = {
        "id": key_message.pk,
        "text": _plain(_texts_in(key_message, "text"), language, prefer=key_message.original_language),
    }
    if citation is not None:
        entry["consultation"] = citation
    return entry


def build_annex(*, review: RegionalReview, language: str) -> list[dict[str, Any]]:
    """The outcome document's annex: approved key messages of all the review's consultations, grouped by
    thematic area → objective → kind, each citing its consultation. A message concerning several objectives
    appears under each; an objective in several areas appears under the first of them."""
    consultations = list(Consultation.objects.filter(review=review).order_by("starts_at", "id"))
    citations = {
        c.pk: {"title": _plain(_texts_in(c, "title"), language), "date": c.starts_at.date().isoformat()}
        for c in consultations
    }
    objectives = {o.pk: o for o in Objective.objects.prefetch_related("thematic_areas").order_by("number")}
    grouped: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for key_message in _approved_key_messages(consultations):
        entry = _key_message_entry(key_message, language, citations[key_message.consultation_id])
        for objective in key_message.objectives.all():
            grouped[objective.pk][key_message.kind].append(entry)

    areas: dict[int | None, dict[str, Any]] = {}
    for objective_id in sorted(grouped, key=lambda pk: objectives[pk].number):
        objective = objectives[objective_id]
        area = min(objective.thematic_areas.all(), key=lambda a: a.number, default=None)
        area_key = area.number if area else None
        if area_key not in areas:
            areas[area_key] = {
                "number": area_key,
                "title": _plain(_texts_in(area, "title"), language) if area else None,
                "objectives": [],
            }
        kinds = grouped[objective_id]
        areas[area_key]["objectives"].append(
            {
                "number": objective.number,
                "title": _plain(_texts_in(objective, "title"), language),
                "kinds": [
                    {"kind": kind, "key_messages": kinds[kind]}
                    for kind in sorted(kinds, key=KIND_ORDER.__getitem__)
                ],
            }
        )
    # Areas by number; objectives outside every area last.
    return [areas[key] for key in sorted(areas, key=lambda k: (k is None, k or 0))]


def _participation_inputs(figures: dict[str, Any] | None, language: str) -> dict[str, Any]:
    figures = figures or {"total": 0, "region": {}, "gender": {}, "group": {}}
    region_labels, region_order = _reference_labels(Region, "name", language)
    group_labels, group_order = _reference_labels(StakeholderGroup, "name", language)
    genders = StakeholderProfile.Gender.values
    return {
        "total": figures["total"],
        "by_region": _breakdown(figures["region"], region_labels, region_order),
        "by_gender": [
            {"key": key, "count": figures["gender"][key]}
            for key in [*genders, *sorted(k for k in figures["gender"] if k not in genders)]
            if figures["gender"].get(key)
        ],
        "by_group": _breakdown(figures["group"], group_labels, group_order),
    }


def outcome_document_inputs(*, document: OutcomeDocument, language: str) -> dict[str, Any]:
    """Everything the outcome document shows in `language`: JSON only, so it can be hashed and stored."""
    # Names read through modeltranslation (organizations' acronyms) follow the active language.
    with translation.override(language):
        return _outcome_document_inputs(document, language)


def _outcome_document_inputs(document: OutcomeDocument, language: str) -> dict[str, Any]:
    review = document.review
    consultations = list(Consultation.objects.filter(review=review).order_by("starts_at", "id"))
    figures = participation_by_consultation(consultation_ids=[c.pk for c in consultations])
    participation = []
    for consultation in consultations:
        counts = figures.get(consultation.pk, {"total": 0, "gender": {}})
        participation.append(
            {
                "title": _plain(_texts_in(consultation, "title"), language),
                "date": consultation.starts_at.date().isoformat(),
                "total": counts["total"],
                "gender": {key: counts["gender"].get(key, 0) for key in ("woman", "man")},
            }
        )
    sections = []
    for key in OutcomeDocument.SECTIONS:
        picked = _rich(_texts_in(document, key), language)
        if picked["text"]:
            sections.append({"key": key, **picked})
    return {
        "layout": LAYOUT_VERSION,
        "document": "outcome",
        "language": language,
        "status": document.status,
        "is_public": document.is_public,
        "fallback_accepted": document.fallback_accepted_at is not None,
        "review": _review_inputs(review, language),
        "sections": sections,
        "participation": participation,
        "participation_total": sum(row["total"] for row in participation),
        "annex": build_annex(review=review, language=language),
    }


def consultation_summary_inputs(*, summary: ConsultationSummary, language: str) -> dict[str, Any]:
    """Everything a consultation's summary report shows in `language`, as JSON."""
    with translation.override(language):
        return _consultation_summary_inputs(summary, language)


def _consultation_summary_inputs(summary: ConsultationSummary, language: str) -> dict[str, Any]:
    consultation = (
        Consultation.objects.select_related("review", "lead_organization")
        .prefetch_related("co_lead_organizations")
        .get(pk=summary.consultation_id)
    )
    figures = participation_by_consultation(consultation_ids=[consultation.pk]).get(consultation.pk)
    agenda = AgendaItem.objects.filter(consultation=consultation).order_by("order", "starts_at", "id")
    objectives = {o.pk: o for o in Objective.objects.order_by("number")}
    by_kind: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for key_message in _approved_key_messages([consultation]):
        entry = _key_message_entry(key_message, language, None)
        for objective in key_message.objectives.all():
            by_kind[key_message.kind][objective.pk].append(entry)
    key_messages = [
        {
            "kind": kind,
            "objectives": [
                {
                    "number": objectives[pk].number,
                    "title": _plain(_texts_in(objectives[pk], "title"), language),
                    "key_messages": by_kind[kind][pk],
                }
                for pk in sorted(by_kind[kind], key=lambda pk: objectives[pk].number)
            ],
        }
        for kind in sorted(by_kind, key=KIND_ORDER.__getitem__)
    ]
    sections = []
    for key in ("introduction", "next_steps"):
        picked = _rich(_texts_in(summary, key), language)
        if picked["text"]:
            sections.append({"key": key, **picked})
    lead = consultation.lead_organization
    return {
        "layout": LAYOUT_VERSION,
        "document": "summary",
        "language": language,
        "status": summary.status,
        "is_public": summary.is_public,
        "review": _review_inputs(consultation.review, language),
        "consultation": {
            "title": _plain(_texts_in(consultation, "title"), language),
            "slug": consultation.slug,
            "starts_at": consultation.starts_at.isoformat(),
            "ends_at": consultation.ends_at.isoformat(),
            "time_zone": consultation.time_zone,
            "format": consultation.format,
            "venue": _plain(_texts_in(consultation, "venue"), language),
            "lead": lead.short_name if lead else "",
            "co_leads": [org.short_name for org in consultation.co_lead_organizations.all()],
        },
        "sections": sections,
        "participation": _participation_inputs(figures, language),
        "agenda": [
            {
                "starts_at": item.starts_at.isoformat(),
                "ends_at": item.ends_at.isoformat(),
                "kind": item.kind,
                "title": _plain(_texts_in(item, "title"), language),
                "presenters": _plain(_texts_in(item, "presenters"), language),
            }
            for item in agenda
        ],
        "key_messages": key_messages,
    }


# --- Rendered documents ----------------------------------------------------------------------------------


def latest_renders(*, documents: Iterable[OutcomeDocument | ConsultationSummary], public_only: bool):
    """{(model label, pk): {language: newest RenderedDocument}} for many documents in one query. Public
    readers see only finished renders of published content."""
    outcome_ids = [d.pk for d in documents if isinstance(d, OutcomeDocument)]
    summary_ids = [d.pk for d in documents if isinstance(d, ConsultationSummary)]
    queryset = RenderedDocument.objects.filter(
        Q(outcome_document_id__in=outcome_ids) | Q(consultation_summary_id__in=summary_ids)
    ).defer("inputs")
    if public_only:
        queryset = queryset.filter(is_public=True, status=RenderedDocument.Status.DONE)
    latest: dict[tuple[str, int], dict[str, RenderedDocument]] = defaultdict(dict)
    for rendered in queryset.order_by("language", "-version"):
        key = (
            ("outcome", rendered.outcome_document_id)
            if rendered.outcome_document_id
            else (
                "summary",
                rendered.consultation_summary_id,
            )
        )
        latest[key].setdefault(rendered.language, rendered)
    return latest


def renders_for_review(*, review: RegionalReview) -> list[RenderedDocument]:
    """Every render of the review's outcome document and summary reports, newest version first."""
    return list(
        RenderedDocument.objects.filter(
            Q(outcome_document__review=review) | Q(consultation_summary__consultation__review=review)
        )
        .defer("inputs")
        .order_by("outcome_document_id", "consultation_summary_id", "language", "-version")
    )


def _by_language(renders: dict[str, RenderedDocument]) -> list[dict[str, Any]]:
    return [{"code": code, "name": name, "render": renders.get(code)} for code, name in settings.LANGUAGES]


def documents_page(*, review: RegionalReview, manager: bool) -> dict[str, Any]:
    """What the review's documents page shows, in a constant number of queries. The public sees published
    documents with finished public PDFs; the review's staff see drafts, every consultation and the latest
    render of each language whatever its status."""
    outcome = OutcomeDocument.objects.filter(review=review).first()
    if outcome is not None and not manager and not outcome.is_public:
        outcome = None
    consultations = list(
        Consultation.objects.filter(review=review)
        .select_related("summary_report")
        .order_by("starts_at", "id")
    )
    summaries = []
    for consultation in consultations:
        summary = getattr(consultation, "summary_report", None)
        if manager or (summary is not None and summary.is_public and consultation.is_published):
            summaries.append({"consultation": consultation, "summary": summary})
    documents = [d for d in [outcome, *(row["summary"] for row in summaries)] if d is not None]
    latest = latest_renders(documents=documents, public_only=not manager)
    for row in summaries:
        summary = row["summary"]
        row["renders"] = _by_language(latest.get(("summary", summary.pk), {})) if summary else []
    if not manager:
        summaries = [row for row in summaries if any(entry["render"] for entry in row["renders"])]
        if outcome is not None and not latest.get(("outcome", outcome.pk)):
            outcome = None
    missing = []
    if manager and outcome is not None and outcome.status == OutcomeDocument.Status.DRAFT:
        missing = missing_translations(document=outcome)
    return {
        "outcome": outcome,
        "outcome_renders": _by_language(latest.get(("outcome", outcome.pk), {})) if outcome else [],
        "summaries": summaries,
        "missing": missing,
        "pending": any(r.is_pending for renders in latest.values() for r in renders.values()),
    }
