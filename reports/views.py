"""A review's documents page (public downloads; generation, progress and finalising for its staff), the
editing pages, the progress feed the page polls, and the file download.

The review's team (any role) sees drafts and edits their texts; publishing, finalising, reopening and
generating documents are decisions for MANAGING_ROLES (reviews.permissions)."""

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.models import Consultation
from reviews.models import RegionalReview
from reviews.permissions import MANAGING_ROLES, can_manage_review

from . import selectors, services
from .forms import ConsultationSummaryForm, FinalizeForm, OutcomeDocumentForm
from .models import ConsultationSummary, OutcomeDocument, RenderedDocument


def _visible_review(request: HttpRequest, slug: str) -> tuple[RegionalReview, bool]:
    review = get_object_or_404(RegionalReview, slug=slug)
    manager = can_manage_review(request.user, review)
    if not review.is_published and not manager:
        raise Http404
    return review, manager


def _managed_review(request: HttpRequest, slug: str, *, roles: Iterable[str] | None = None) -> RegionalReview:
    review = get_object_or_404(RegionalReview, slug=slug)
    if not can_manage_review(request.user, review, roles=roles):
        raise PermissionDenied
    return review


def _decided_review(request: HttpRequest, slug: str) -> RegionalReview:
    return _managed_review(request, slug, roles=MANAGING_ROLES)


def review_documents(request: HttpRequest, slug: str) -> HttpResponse:
    review, manager = _visible_review(request, slug)
    page = selectors.documents_page(review=review, manager=manager)
    if not manager and page["outcome"] is None and not page["summaries"]:
        raise Http404
    decider = manager and can_manage_review(request.user, review, roles=MANAGING_ROLES)
    return render(
        request,
        "reports/review_documents.html",
        {**page, "review": review, "manager": manager, "decider": decider, "finalize_form": FinalizeForm()},
    )


def render_status(request: HttpRequest, slug: str) -> JsonResponse:
    """Progress of the review's renders, for the documents page's polling script."""
    review = _managed_review(request, slug)
    renders = selectors.renders_for_review(review=review)
    return JsonResponse(
        {
            "pending": any(r.is_pending for r in renders),
            "renders": [
                {
                    "id": r.pk,
                    "language": r.language,
                    "version": r.version,
                    "status": r.status,
                    "status_label": r.get_status_display(),
                    "failure_reason": r.failure_reason,
                    "download_url": reverse("reports:download", kwargs={"pk": r.pk})
                    if r.status == "done"
                    else "",
                }
                for r in renders
            ],
        }
    )


@login_required
@require_POST
def generate_outcome_document(request: HttpRequest, slug: str) -> HttpResponse:
    review = _decided_review(request, slug)
    document = get_object_or_404(OutcomeDocument, review=review)
    services.generate_document(document=document, actor=request.user)
    messages.success(request, _("The PDFs are being prepared in Arabic, English and French."))
    return redirect("reports:review_documents", slug=review.slug)


@login_required
@require_POST
def generate_consultation_summary(request: HttpRequest, slug: str, consultation_slug: str) -> HttpResponse:
    review = _decided_review(request, slug)
    summary = get_object_or_404(
        ConsultationSummary, consultation__review=review, consultation__slug=consultation_slug
    )
    services.generate_document(document=summary, actor=request.user)
    messages.success(request, _("The PDFs are being prepared in Arabic, English and French."))
    return redirect("reports:review_documents", slug=review.slug)


@login_required
@require_POST
def finalize_outcome_document(request: HttpRequest, slug: str) -> HttpResponse:
    review = _decided_review(request, slug)
    document = get_object_or_404(OutcomeDocument, review=review)
    form = FinalizeForm(request.POST)
    form.is_valid()
    try:
        services.finalize_outcome_document(
            document=document,
            actor=request.user,
            accept_fallback=form.cleaned_data.get("accept_fallback", False),
        )
    except services.MissingTranslationsError as exc:
        messages.error(
            request,
            _("The document cannot be final yet: %(count)s text(s) lack a language (listed below).")
            % {"count": len(exc.missing)},
        )
    else:
        messages.success(request, _("The outcome document is final. Generate its PDFs to publish them."))
    return redirect("reports:review_documents", slug=review.slug)


@login_required
@require_POST
def reopen_outcome_document(request: HttpRequest, slug: str) -> HttpResponse:
    review = _decided_review(request, slug)
    document = get_object_or_404(OutcomeDocument, review=review)
    services.reopen_outcome_document(document=document, actor=request.user)
    return redirect("reports:review_documents", slug=review.slug)


@login_required
def edit_outcome_document(request: HttpRequest, slug: str) -> HttpResponse:
    review = _managed_review(request, slug)
    document = OutcomeDocument.objects.filter(review=review).first()
    if document is not None and document.status == OutcomeDocument.Status.FINAL:
        messages.error(request, _("A final document must be reopened before it is changed."))
        return redirect("reports:review_documents", slug=review.slug)
    form = OutcomeDocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        services.save_outcome_document(review=review, actor=request.user, texts=form.texts())
        messages.success(request, _("Saved."))
        return redirect("reports:review_documents", slug=review.slug)
    return render(
        request,
        "reports/edit_texts.html",
        {"review": review, "form": form, "heading": _("Outcome document")},
        status=400 if form.errors else 200,
    )


@login_required
def edit_consultation_summary(request: HttpRequest, slug: str, consultation_slug: str) -> HttpResponse:
    review = _managed_review(request, slug)
    consultation = get_object_or_404(Consultation, review=review, slug=consultation_slug)
    summary = ConsultationSummary.objects.filter(consultation=consultation).first()
    current_status = summary.status if summary is not None else ConsultationSummary.Status.DRAFT
    may_publish = can_manage_review(request.user, review, roles=MANAGING_ROLES)
    # The rapporteurs' form shows the status without letting it change; a request that changes it anyway is
    # refused as a whole, so it is never mistaken for a saved edit.
    if (
        request.method == "POST"
        and not may_publish
        and request.POST.get("status", current_status) != current_status
    ):
        raise PermissionDenied
    form = ConsultationSummaryForm(request.POST or None, instance=summary, may_publish=may_publish)
    if request.method == "POST" and form.is_valid():
        services.save_consultation_summary(
            consultation=consultation,
            actor=request.user,
            texts=form.texts(),
            status=form.cleaned_data["status"],
        )
        messages.success(request, _("Saved."))
        return redirect("reports:review_documents", slug=review.slug)
    return render(
        request,
        "reports/edit_texts.html",
        {"review": review, "form": form, "heading": _("Summary report"), "consultation": consultation},
        status=400 if form.errors else 200,
    )


def download(request: HttpRequest, pk: int) -> FileResponse:
    """A rendered PDF as an attachment. Published renders of published documents are public; everything else
    only for staff with rights on the review."""
    rendered = get_object_or_404(
        RenderedDocument.objects.select_related(
            "outcome_document__review", "consultation_summary__consultation__review"
        ).defer("inputs"),
        pk=pk,
        status=RenderedDocument.Status.DONE,
    )
    source = rendered.source
    review = source.review
    public = rendered.is_public and source.is_public and review.is_published
    if isinstance(source, ConsultationSummary):
        public = public and source.consultation.is_published
    if not public and not can_manage_review(request.user, review):
        raise Http404
    if not rendered.file:
        raise Http404
    slug = review.slug if rendered.outcome_document_id else source.consultation.slug
    kind = "outcome-document" if rendered.outcome_document_id else "summary-report"
    response = FileResponse(
        rendered.file.open("rb"),
        as_attachment=True,
        filename=f"{slug}-{kind}-{rendered.language}-v{rendered.version}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
