"""Consultation pages: the public list and page, registering, "My registrations", and the organizers' view."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from gcm_portal.cache import cache_public_page
from stakeholders.decorators import profile_required
from stakeholders.selectors import get_profile

from . import balance, exports, selectors, services
from .emails import build_calendar
from .filters import ConsultationFilter
from .forms import OrganizerActionForm, PromoteSelectedForm, ProposalForm, RegistrationForm, TimeZoneForm
from .models import BackgroundDocument, Consultation, Registration
from .permissions import can_manage_participants, can_manage_review, can_see_accessibility_needs

PAGE_SIZE = 20
PARTICIPANTS_PER_PAGE = 50


def _registration_message(registration: Registration) -> str:
    if registration.status == Registration.Status.CONFIRMED:
        return _("Your place is confirmed. The meeting details are below and in your e-mail.")
    if registration.status == Registration.Status.WAITLISTED:
        return _(
            "The consultation is full: you are number %(position)d on the waiting list. "
            "We will e-mail you if a place frees up."
        ) % {"position": selectors.waitlist_position(registration)}
    return _("Your registration has been received. The organizers will confirm it by e-mail.")


# --- Public pages ------------------------------------------------------------------------------------------


# Anonymous visitors get these pages from the page cache (gcm_portal.cache), per language; gcm_portal.signals
# refreshes them when a consultation or a registration (seats left) changes.
CONSULTATION_PAGES = "consultations"


@require_GET
@cache_public_page(CONSULTATION_PAGES)
def consultation_list(request: HttpRequest) -> HttpResponse:
    filterset = ConsultationFilter(request.GET or None, queryset=selectors.public_consultations())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for consultation in page:
        consultation.seats_left = selectors.seats_left(consultation)
        consultation.is_open = selectors.registration_problem(consultation=consultation, now=now) is None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "consultations/consultation_list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


@require_GET
@cache_public_page(CONSULTATION_PAGES)
def consultation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        consultation = selectors.get_public_consultation(slug=slug)
    except Consultation.DoesNotExist as exc:
        raise Http404 from exc
    registration = selectors.registration_for(user=request.user, consultation=consultation)
    own_zone = selectors.time_zone_for(request.user)
    profile = get_profile(request.user)
    return render(
        request,
        "consultations/consultation_detail.html",
        {
            "consultation": consultation,
            "registration": registration,
            "position": selectors.waitlist_position(registration) if registration else None,
            "seats_left": selectors.seats_left(consultation),
            "problem": selectors.registration_problem(consultation=consultation, now=timezone.now()),
            "form": RegistrationForm(
                initial={"interpretation_language": profile.interpretation_language if profile else ""}
            ),
            "own_zone": own_zone if own_zone != consultation.time_zone else None,
            "time_zone_form": TimeZoneForm(initial={"time_zone": own_zone or "", "next": request.path}),
            "can_manage": can_manage_participants(request.user, consultation.review),
        },
    )


def _unavailable(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "consultations/unavailable.html",
        {"message": _("This consultation does not exist or is not open for registration.")},
        status=404,
    )


@profile_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    posted = request.method == "POST" and form.is_valid()
    try:
        # Both reads apply selectors.public_consultation_q, so a draft or unpublished consultation is a 404
        # (never a 500) whether the form is shown or posted.
        consultation_id = selectors.public_consultation_id(slug=slug) if posted else None
        consultation = None if posted else selectors.get_public_consultation(slug=slug)
    except Consultation.DoesNotExist:
        return _unavailable(request)
    if not posted:
        return render(request, "consultations/register.html", {"consultation": consultation, "form": form})
    try:
        registration = services.register_participant(
            consultation_id=consultation_id,
            user=request.user,
            interpretation_language=form.cleaned_data["interpretation_language"],
        )
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
        return redirect("consultations:detail", slug=slug)
    messages.success(request, _registration_message(registration))
    return redirect("consultations:my_registrations")


@require_GET
def document_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """Uploaded background documents live outside the web root: served here, as attachments, for public
    consultations (selectors.public_consultation_q), and to their review's team before that."""
    try:
        document = selectors.get_document(slug=slug, document_id=pk)
    except BackgroundDocument.DoesNotExist as exc:
        raise Http404 from exc
    if not document.file:
        raise Http404
    consultation = document.consultation
    # 404, not 403, for everyone else: nobody learns which draft consultations have documents.
    if not selectors.is_public(consultation_id=consultation.pk) and not can_manage_review(
        request.user, consultation.review
    ):
        raise Http404
    extension = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else "bin"
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{consultation.slug}-{document.pk}.{extension}",
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The person's own registrations ------------------------------------------------------------------------


@login_required
@require_GET
def my_registrations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "consultations/my_registrations.html",
        {
            "registrations": selectors.registrations_for_user(user=request.user),
            "own_zone": selectors.time_zone_for(request.user),
        },
    )


@login_required
@require_POST
def cancel_registration(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        selectors.get_user_registration(user=request.user, registration_id=pk)
        services.cancel_registration(registration_id=pk, actor=request.user)
    except Registration.DoesNotExist as exc:
        raise Http404 from exc
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("consultations:my_registrations")


@login_required
@require_GET
def registration_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        registration = selectors.get_user_registration(user=request.user, registration_id=pk)
    except Registration.DoesNotExist as exc:
        raise Http404 from exc
    if registration.status != Registration.Status.CONFIRMED:
        raise Http404
    response = HttpResponse(
        build_calendar(registration=registration), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{registration.consultation.slug}.ics"'
    return response


@login_required
@require_POST
def set_time_zone(request: HttpRequest) -> HttpResponse:
    form = TimeZoneForm(request.POST)
    if form.is_valid():
        services.set_time_zone_preference(user=request.user, time_zone=form.cleaned_data["time_zone"])
        messages.success(
            request, _("Times are now also shown in %(zone)s.") % {"zone": form.cleaned_data["time_zone"]}
        )
    else:
        messages.error(request, _("Choose a time zone from the list."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "consultations:my_registrations"
    return redirect(next_url)


# --- Organizers --------------------------------------------------------------------------------------------


def organizer_required(view_func):
    """Loads the consultation by slug; lets through staff in one of MANAGING_ROLES on its review (403 for
    others, rapporteurs included: they write key messages but do not manage participants)."""

    @wraps(view_func)
    def wrapper(request, slug, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            consultation = selectors.get_consultation(slug=slug)
        except Consultation.DoesNotExist as exc:
            raise Http404 from exc
        if not can_manage_participants(request.user, consultation.review):
            raise PermissionDenied
        return view_func(request, consultation, *args, **kwargs)

    return wrapper


def _split(participants: list[Registration]) -> tuple[list[Registration], list[Registration]]:
    confirmed = [r for r in participants if r.status in selectors.SEAT_STATUSES]
    waitlisted = [r for r in participants if r.status == Registration.Status.WAITLISTED]
    return confirmed, waitlisted


@organizer_required
@require_GET
def organizer(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    overview = selectors.participants_overview(
        consultation_id=consultation.pk, page_number=request.GET.get("page"), per_page=PARTICIPANTS_PER_PAGE
    )
    return render(
        request,
        "consultations/organizer.html",
        {
            "consultation": consultation,
            "page": overview.page,
            "participants": overview.page.object_list,
            "page_range": overview.page.paginator.get_elided_page_range(overview.page.number, on_ends=1),
            "confirmed_count": len(overview.confirmed),
            "waitlisted_count": len(overview.waitlisted),
            "seats_left": selectors.seats_left(consultation),
            # The aggregates are over everyone, not over the page listed.
            "tables": selectors.balance_tables(
                consultation=consultation,
                confirmed=overview.confirmed,
                waitlisted=overview.waitlisted,
                labels=overview.labels,
            ),
            "interpretation": selectors.interpretation_needs(consultation_id=consultation.pk),
            "action_form": OrganizerActionForm(),
        },
    )


@organizer_required
@require_POST
def organizer_action(request: HttpRequest, consultation: Consultation, pk: int) -> HttpResponse:
    form = OrganizerActionForm(request.POST)
    try:
        selectors.get_registration(consultation_id=consultation.pk, registration_id=pk)
    except Registration.DoesNotExist as exc:
        raise Http404 from exc
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return redirect("consultations:organizer", slug=consultation.slug)
    service = {
        "approve": services.approve_registration,
        "promote": services.promote_registration,
        "decline": services.decline_registration,
        "cancel": services.cancel_registration,
        "attended": services.mark_attended,
    }[form.cleaned_data["action"]]
    try:
        service(registration_id=pk, actor=request.user)
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done. The person has been notified by e-mail where this concerns them."))
    return redirect("consultations:organizer", slug=consultation.slug)


@organizer_required
def balance_proposal(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    """Balance-aware promotion: propose the waitlisted people who most improve the balance, show the
    distribution before and after, and promote them once the organizer confirms."""
    participants = selectors.participants(consultation_id=consultation.pk)
    confirmed, waitlisted = _split(participants)
    if request.method == "POST":
        form = PromoteSelectedForm(request.POST, registration_ids=[r.pk for r in waitlisted])
        if form.is_valid():
            promoted = services.promote_registrations(
                consultation_id=consultation.pk,
                registration_ids=form.cleaned_data["registrations"],
                actor=request.user,
            )
            messages.success(
                request,
                ngettext(
                    "%(count)d person promoted and notified.",
                    "%(count)d people promoted and notified.",
                    len(promoted),
                )
                % {"count": len(promoted)},
            )
        else:
            messages.error(request, _("The waiting list changed meanwhile; look at the new proposal."))
        return redirect("consultations:balance", slug=consultation.slug)
    seats_left = selectors.seats_left(consultation)
    count_form = ProposalForm(request.GET or None)
    count = (count_form.cleaned_data.get("count") if count_form.is_valid() else None) or seats_left
    proposal = balance.propose_promotions(
        confirmed=confirmed, waitlist=waitlisted, count=count, targets=consultation.balance_targets or {}
    )
    return render(
        request,
        "consultations/balance_proposal.html",
        {
            "consultation": consultation,
            "proposal": proposal,
            "seats_left": seats_left,
            "count_form": count_form if count_form.is_bound else ProposalForm(initial={"count": count}),
            "tables": selectors.balance_tables(
                consultation=consultation, confirmed=confirmed, waitlisted=waitlisted, proposed=proposal
            ),
            "waitlisted_count": len(waitlisted),
        },
    )


@organizer_required
@require_GET
def export_participants(request: HttpRequest, consultation: Consultation, fmt: str) -> HttpResponse:
    export = exports.export_participants(
        consultation_id=consultation.pk,
        fmt=fmt,
        include_accessibility=can_see_accessibility_needs(request.user, consultation.review),
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{consultation.slug}-participants.{fmt}"'
    return response
