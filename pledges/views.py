"""Pledge and written-input pages. Views check permission, validate a form, call one service, redirect."""

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, get_language_bidi, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reviews.models import RegionalReview

from . import access, selectors, services
from .filters import PledgeFilter, WrittenInputFilter
from .forms import (
    PledgeBasicsForm,
    PledgeContactForm,
    PledgeMeasuresForm,
    ProgressUpdateForm,
    WrittenInputForm,
)
from .models import Pledge, Submission, WrittenInput

PAGE_SIZE = 25
STEPS = [
    ("basics", gettext_lazy("What you pledge"), PledgeBasicsForm),
    ("measures", gettext_lazy("Scope and measures"), PledgeMeasuresForm),
    ("contact", gettext_lazy("Contact and document"), PledgeContactForm),
    ("review", gettext_lazy("Check and submit"), None),
]
STEP_KEYS = [key for key, _label, _form in STEPS]


# --- Public pages ---------------------------------------------------------------------------------------


def dashboard(request: HttpRequest) -> HttpResponse:
    data = selectors.dashboard(language=get_language(), today=timezone.localdate(), rtl=get_language_bidi())
    return render(request, "pledges/dashboard.html", data)


def pledge_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.with_list_relations(selectors.published_pledges(), today=timezone.localdate())
    filterset = PledgeFilter(request.GET or None, queryset=queryset)
    page = Paginator(filterset.qs.order_by("-published_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "pledges/list.html", {"filter": filterset, "page": page})


def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        pledge = selectors.pledge_for_page(pk=pk)
    except Pledge.DoesNotExist as exc:
        raise Http404 from exc
    if not access.can_view(request.user, pledge):
        raise Http404
    context = {
        "pledge": pledge,
        "light": pledge.traffic_light(),
        "show_private": access.can_view_private(request.user, pledge),
        "can_edit": access.can_edit(request.user, pledge),
        "can_report": access.can_report_progress(request.user, pledge),
    }
    return render(request, "pledges/detail.html", context)


def _serve_document(request: HttpRequest, submission: Submission) -> FileResponse:
    allowed = submission.is_public or access.can_view_private(request.user, submission)
    if not submission.document or not allowed:
        raise Http404
    response = FileResponse(
        submission.document.open("rb"),
        as_attachment=True,
        filename=submission.document_name or "document.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "public, max-age=3600" if submission.is_public else "private, no-store"
    return response


def pledge_document(request: HttpRequest, pk: int) -> FileResponse:
    return _serve_document(request, get_object_or_404(Pledge, pk=pk))


def input_document(request: HttpRequest, pk: int) -> FileResponse:
    return _serve_document(request, get_object_or_404(WrittenInput, pk=pk))


# --- Open data exports ----------------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: prefix such text with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _export_rows(request: HttpRequest, *, with_progress: bool):
    filterset = PledgeFilter(request.GET or None, queryset=selectors.published_pledges())
    return selectors.export_rows(
        filterset.qs.order_by("-published_at", "-id"),
        today=timezone.localdate(),
        base_url=request.build_absolute_uri("/").rstrip("/"),
        with_progress=with_progress,
    )


def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        # The byte-order mark makes spreadsheet programs read the Arabic and French text as UTF-8.
        yield "\ufeff" + writer.writerow(selectors.EXPORT_FIELDS)
        for row in _export_rows(request, with_progress=False):
            yield writer.writerow([csv_cell(row[name]) for name in selectors.EXPORT_FIELDS])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gcm-pledges-{get_language()}.csv"'
    return response


def export_json(request: HttpRequest) -> HttpResponse:
    rows = list(_export_rows(request, with_progress=True))
    body = json.dumps({"count": len(rows), "results": rows}, ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gcm-pledges-{get_language()}.json"'
    return response


# --- Submitting pledges ---------------------------------------------------------------------------------


def _no_organization(request: HttpRequest) -> HttpResponse:
    return render(request, "pledges/no_organization.html", status=403)


def _own_submission_or_404(request: HttpRequest, model: type[Submission], pk: int) -> Submission:
    # Drafts this person may not act on (another organization's, or a colleague's before the secretariat
    # confirmed their membership) do not exist as far as they can tell.
    submission = get_object_or_404(model, pk=pk)
    if not access.is_owner(request.user, submission):
        raise Http404
    return submission


@login_required
def my_submissions(request: HttpRequest) -> HttpResponse:
    if access.organization_id_of(request.user) is None:
        return _no_organization(request)
    confirmed_id = access.confirmed_organization_id_of(request.user)
    return render(
        request,
        "pledges/mine.html",
        selectors.submissions_of_owner(user_id=request.user.pk, organization_id=confirmed_id)
        | {"organization": request.user.profile.organization, "confirmed": confirmed_id is not None},
    )


@login_required
def pledge_create(request: HttpRequest) -> HttpResponse:
    if access.organization_id_of(request.user) is None:
        return _no_organization(request)
    form = PledgeBasicsForm(request.POST or None, initial={"original_language": get_language()})
    if request.method == "POST" and form.is_valid():
        pledge = services.save_pledge_draft(actor=request.user, changes=form.changes())
        messages.success(request, _("Your draft pledge is saved. Continue with the next step."))
        return redirect("pledges:edit", pk=pledge.pk, step="measures")
    return render(request, "pledges/step.html", _step_context(step="basics", form=form, pledge=None))


def _step_context(*, step: str, form, pledge: Pledge | None, missing=None) -> dict:
    index = STEP_KEYS.index(step)
    return {
        "form": form,
        "pledge": pledge,
        "step": step,
        "step_label": STEPS[index][1],
        "step_number": index + 1,
        "steps": [
            {"key": key, "label": label, "number": number, "current": key == step}
            for number, (key, label, _form) in enumerate(STEPS, start=1)
        ],
        "next_step": STEP_KEYS[index + 1] if index + 1 < len(STEP_KEYS) else None,
        "missing": missing,
    }


@login_required
def pledge_edit(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEP_KEYS:
        raise Http404
    pledge = _own_submission_or_404(request, Pledge, pk)
    if not access.can_edit(request.user, pledge):
        messages.info(request, _("This pledge is with the secretariat and can no longer be changed."))
        return redirect(pledge)
    if step == "review":
        context = _step_context(
            step=step, form=None, pledge=pledge, missing=services.missing_for_submission(pledge)
        )
        return render(request, "pledges/review_step.html", context)
    form_class = {key: form for key, _label, form in STEPS}[step]
    kwargs = {"pledge": pledge} if form_class is PledgeMeasuresForm else {}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            services.save_pledge_draft(actor=request.user, pledge=pledge, changes=form.changes())
            messages.success(request, _("Draft saved."))
            if "save_and_leave" in request.POST:
                return redirect("pledges:mine")
            return redirect("pledges:edit", pk=pledge.pk, step=STEP_KEYS[STEP_KEYS.index(step) + 1])
    else:
        form = form_class(initial=form_class.initial_for(pledge), **kwargs)
    return render(request, "pledges/step.html", _step_context(step=step, form=form, pledge=pledge))


@login_required
@require_POST
def pledge_submit(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _own_submission_or_404(request, Pledge, pk)
    try:
        services.submit_submission(actor=request.user, submission=pledge)
    except ValidationError as exc:
        context = _step_context(step="review", form=None, pledge=pledge, missing=exc.message_dict)
        return render(request, "pledges/review_step.html", context, status=400)
    except PermissionDenied:
        messages.info(request, _("This pledge is with the secretariat and can no longer be changed."))
        return redirect(pledge)
    messages.success(request, _("Thank you: your pledge is with the secretariat, who will review it."))
    return redirect(pledge)


@login_required
def pledge_progress(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _own_submission_or_404(request, Pledge, pk)
    if not access.can_report_progress(request.user, pledge):
        raise Http404
    form = ProgressUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_progress_update(actor=request.user, pledge=pledge, **form.cleaned_data)
        messages.success(request, _("Your progress update is published on the pledge's page."))
        return redirect(pledge)
    return render(request, "pledges/progress.html", {"pledge": pledge, "form": form})


# --- Written inputs -------------------------------------------------------------------------------------


def _published_review(slug: str) -> RegionalReview:
    return get_object_or_404(RegionalReview, slug=slug, is_published=True)


def review_inputs(request: HttpRequest, slug: str) -> HttpResponse:
    review = _published_review(slug)
    filterset = WrittenInputFilter(request.GET or None, queryset=selectors.published_inputs(review=review))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "pledges/inputs.html", {"review": review, "filter": filterset, "page": page})


def _save_input(
    request: HttpRequest, *, form: WrittenInputForm, review=None, written_input=None
) -> HttpResponse:
    submit = "send_to_secretariat" in request.POST
    try:
        written_input = services.save_written_input(
            actor=request.user,
            review=review,
            written_input=written_input,
            changes=form.changes(),
            submit=submit,
        )
    except services.NotSubmitted as exc:
        for message in exc.errors.messages:
            messages.error(request, message)
        return redirect("pledges:input_edit", pk=exc.submission.pk)
    if not submit:
        messages.success(request, _("Draft saved."))
        return redirect("pledges:input_edit", pk=written_input.pk)
    messages.success(request, _("Thank you: your written input is with the secretariat, who will review it."))
    return redirect("pledges:mine")


@login_required
def input_create(request: HttpRequest, slug: str) -> HttpResponse:
    review = _published_review(slug)
    if access.organization_id_of(request.user) is None:
        return _no_organization(request)
    initial = {
        "original_language": get_language(),
        "stakeholder_group": selectors.default_stakeholder_group_id(user=request.user),
    }
    form = WrittenInputForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _save_input(request, form=form, review=review)
    return render(request, "pledges/input_form.html", {"form": form, "review": review, "written_input": None})


@login_required
def input_edit(request: HttpRequest, pk: int) -> HttpResponse:
    written_input = _own_submission_or_404(request, WrittenInput, pk)
    if not access.can_edit(request.user, written_input):
        messages.info(request, _("This written input is with the secretariat and can no longer be changed."))
        return redirect("pledges:mine")
    has_document = bool(written_input.document)
    if request.method == "POST":
        form = WrittenInputForm(request.POST, request.FILES, has_document=has_document)
        if form.is_valid():
            return _save_input(request, form=form, written_input=written_input)
    else:
        form = WrittenInputForm(
            initial=WrittenInputForm.initial_for(written_input), has_document=has_document
        )
    context = {"form": form, "review": written_input.review, "written_input": written_input}
    return render(request, "pledges/input_form.html", context)
