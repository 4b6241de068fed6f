"""Object-level access, URL by URL: every pattern of the project that takes an id, a slug or any other
argument must have a row in ACCESS_TABLE saying what its owner, another logged-in person with a completed
profile, a staff member of another review, and an anonymous visitor get. A new URL without a row fails
`test_every_url_with_arguments_has_a_row`, so nobody can add an object page without deciding who sees it.

A row's builder creates the objects with factories and returns one or more Cases (a published and a draft
object are two cases). Page URLs are fetched with GET; for POST-only URLs GET must answer 405, and a POST by
anyone but the owner must be refused without changing the object (the case's `state` snapshot).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from consultations.models import BackgroundDocument, Consultation, KeyMessage, Registration
from pledges.models import SubmissionStatus
from reports.models import ConsultationSummary, OutcomeDocument, RenderedDocument
from reviews.models import ReviewMembership
from tests.consultations.factories import (
    ConsultationFactory,
    ProfileFactory,
    RegistrationFactory,
)
from tests.factories import RegionalReviewFactory, ReviewEventFactory, StaffUserFactory, UserFactory
from tests.pledges.factories import OrganizationFactory, PledgeFactory, WrittenInputFactory
from tests.reports.factories import ConsultationSummaryFactory, OutcomeDocumentFactory

ROLES = ("owner", "other", "other_staff", "anonymous")
LOGIN = "login"  # a 302 to the login page
PDF = b"%PDF-1.4\n% access test\n"
MEETING_LINK = "https://meet.example.org/secret-room-42"

# The admin checks its own rights (is_staff plus model permissions) and has its own tests in
# tests/*/test_admin.py; its object URLs take primary keys of every model and would double this table.
EXCLUDED_NAMESPACES = {"admin"}


@dataclass
class Case:
    """One object and what each role gets. `expect` maps a role to a status code, LOGIN, or ("to", path)
    for a redirect to that path. Roles left out are not tried (e.g. no owner for a public page)."""

    label: str
    kwargs: dict
    expect: dict
    owner: object = None
    method: str = "GET"
    post_data: dict = field(default_factory=dict)
    # For POST-only URLs: a snapshot of the object, equal before and after a refused POST.
    state: Callable[[], object] | None = None
    # Text that only the roles in `secret_for` may see (a meeting link, a contact person, a name).
    secret: str = ""
    secret_for: tuple = ()


def url_for(name: str, kwargs: dict) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def to(name: str, **kwargs) -> tuple:
    return ("to", url_for(name, kwargs))


def participant_with_organization():
    return ProfileFactory(organization=OrganizationFactory()).user


def team_member(review, role=ReviewMembership.Role.ORGANIZER):
    user = StaffUserFactory()
    ProfileFactory(user=user)
    ReviewMembership.objects.create(review=review, user=user, role=role)
    return user


def same(status) -> dict:
    return dict.fromkeys(ROLES, status)


# --- Builders ------------------------------------------------------------------------------------------
# Each returns a list of Cases. `staff` pages: team member of the review 200, others 403, anonymous to login.


def build_review_pages() -> list[Case]:
    published = RegionalReviewFactory()
    draft = RegionalReviewFactory(is_published=False)
    return [
        Case("published review", {"slug": published.slug}, same(200)),
        Case(
            "unpublished review: its team previews it",
            {"slug": draft.slug},
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": 404},
            owner=team_member(draft),
        ),
    ]


def build_objective() -> list[Case]:
    return [
        Case("reference objective", {"number": 17}, same(200)),
        Case("no such objective", {"number": 24}, same(404)),
    ]


def build_cancel() -> list[Case]:
    registration = RegistrationFactory()
    return [
        Case(
            "own registration",
            {"pk": registration.pk},
            {
                "owner": to("consultations:my_registrations"),
                "other": 404,
                "other_staff": 404,
                "anonymous": LOGIN,
            },
            owner=registration.user,
            method="POST",
            state=lambda: Registration.objects.get(pk=registration.pk).status,
        )
    ]


def build_calendar() -> list[Case]:
    registration = RegistrationFactory()
    waitlisted = RegistrationFactory(status=Registration.Status.WAITLISTED)
    return [
        Case(
            "confirmed registration",
            {"pk": registration.pk},
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": LOGIN},
            owner=registration.user,
            secret=MEETING_LINK,
            secret_for=("owner",),
        ),
        Case(
            "waitlisted registration: no meeting link yet",
            {"pk": waitlisted.pk},
            {"owner": 404, "other": 404, "other_staff": 404, "anonymous": LOGIN},
            owner=waitlisted.user,
        ),
    ]


def build_consultation_detail() -> list[Case]:
    registration = RegistrationFactory()
    draft = ConsultationFactory(is_published=False, status=Consultation.Status.DRAFT)
    return [
        Case(
            "published consultation (the meeting link is only on the registrant's own pages)",
            {"slug": registration.consultation.slug},
            same(200),
            owner=registration.user,
            secret=MEETING_LINK,
        ),
        Case(
            "unpublished consultation",
            {"slug": draft.slug},
            same(404),
            owner=team_member(draft.review),
        ),
    ]


def build_register() -> list[Case]:
    consultation = ConsultationFactory()
    draft = ConsultationFactory(is_published=False, status=Consultation.Status.DRAFT)
    return [
        Case(
            "open consultation: the form, for people with a profile",
            {"slug": consultation.slug},
            {"other": 200, "other_staff": 200, "anonymous": LOGIN},
        ),
        Case(
            "unpublished consultation",
            {"slug": draft.slug},
            {"other": 404, "other_staff": 404, "anonymous": LOGIN},
        ),
    ]


def build_document() -> list[Case]:
    def document(consultation):
        item = BackgroundDocument(
            consultation=consultation, title_en="Concept note", content_type="application/pdf"
        )
        item.file.save("concept.pdf", ContentFile(PDF), save=True)
        return item

    published = document(ConsultationFactory())
    draft_consultation = ConsultationFactory(is_published=False, status=Consultation.Status.DRAFT)
    draft = document(draft_consultation)
    return [
        Case(
            "published consultation's document",
            {"slug": published.consultation.slug, "pk": published.pk},
            same(200),
        ),
        Case(
            "unpublished consultation's document: its organizers only",
            {"slug": draft_consultation.slug, "pk": draft.pk},
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": 404},
            owner=team_member(draft_consultation.review),
        ),
        Case(
            "document asked for under another consultation's slug",
            {"slug": published.consultation.slug, "pk": draft.pk},
            same(404),
        ),
    ]


STAFF = {"owner": 200, "other": 403, "other_staff": 403, "anonymous": LOGIN}


def _organizer_page(extra: dict | None = None, *, shows_names: bool = True) -> Callable[[], list[Case]]:
    def build() -> list[Case]:
        registration = RegistrationFactory()
        consultation = registration.consultation
        return [
            Case(
                "the consultation's organizers",
                {"slug": consultation.slug, **(extra or {})},
                STAFF,
                owner=team_member(consultation.review),
                secret=registration.user.profile.full_name,
                # The balance page shows figures only; names are on the organizer page and in the export.
                secret_for=("owner",) if shows_names else (),
            )
        ]

    return build


def build_organizer_action() -> list[Case]:
    registration = RegistrationFactory()
    consultation = registration.consultation
    return [
        Case(
            "decline a registration",
            {"slug": consultation.slug, "pk": registration.pk},
            {
                "owner": to("consultations:organizer", slug=consultation.slug),
                "other": 403,
                "other_staff": 403,
                "anonymous": LOGIN,
            },
            owner=team_member(consultation.review),
            method="POST",
            post_data={"action": "decline"},
            state=lambda: Registration.objects.get(pk=registration.pk).status,
        )
    ]


def _key_message(consultation=None) -> KeyMessage:
    from tests.reports.factories import KeyMessageFactory

    return KeyMessageFactory(
        consultation=consultation or ConsultationFactory(), status=KeyMessage.Status.DRAFT
    )


def build_key_messages() -> list[Case]:
    message = _key_message()
    return [
        Case(
            "the review's rapporteurs",
            {"slug": message.consultation.slug},
            STAFF,
            owner=team_member(message.consultation.review, ReviewMembership.Role.RAPPORTEUR),
            secret=message.text_en,
            secret_for=("owner",),
        )
    ]


def build_key_message_edit() -> list[Case]:
    message = _key_message()
    other_consultation = ConsultationFactory(review=message.consultation.review)
    return [
        Case(
            "a key message",
            {"slug": message.consultation.slug, "pk": message.pk},
            STAFF,
            owner=team_member(message.consultation.review, ReviewMembership.Role.RAPPORTEUR),
        ),
        Case(
            "a key message under another consultation's slug",
            {"slug": other_consultation.slug, "pk": message.pk},
            {"owner": 404, "other": 403, "other_staff": 403, "anonymous": LOGIN},
            owner=team_member(message.consultation.review, ReviewMembership.Role.RAPPORTEUR),
        ),
    ]


def build_key_message_status() -> list[Case]:
    message = _key_message()
    slug = message.consultation.slug
    return [
        Case(
            "approve a key message",
            {"slug": slug, "pk": message.pk},
            {
                "owner": (
                    "to",
                    url_for("consultations:key_messages", {"slug": slug}) + f"#key-message-{message.pk}",
                ),
                "other": 403,
                "other_staff": 403,
                "anonymous": LOGIN,
            },
            owner=team_member(message.consultation.review, ReviewMembership.Role.RAPPORTEUR),
            method="POST",
            post_data={"status": KeyMessage.Status.APPROVED},
            state=lambda: KeyMessage.objects.get(pk=message.pk).status,
        )
    ]


def _member_of(organization):
    return ProfileFactory(organization=organization).user


def build_pledge_detail() -> list[Case]:
    published = PledgeFactory(contact_name="Published Pledge Contact")
    draft = PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None, title_en="Draft pledge")
    return [
        Case(
            "published pledge: its contact person for the organization only",
            {"pk": published.pk},
            same(200),
            owner=_member_of(published.organization),
            secret="Published Pledge Contact",
            secret_for=("owner",),
        ),
        Case(
            "draft pledge",
            {"pk": draft.pk},
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": 404},
            owner=_member_of(draft.organization),
        ),
    ]


def build_pledge_edit() -> list[Case]:
    draft = PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None)
    published = PledgeFactory()
    return [
        Case(
            "draft pledge",
            {"pk": draft.pk, "step": "basics"},
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": LOGIN},
            owner=_member_of(draft.organization),
            secret=draft.title_en,
            secret_for=("owner",),
        ),
        Case(
            "published pledge: no longer editable",
            {"pk": published.pk, "step": "basics"},
            {
                "owner": to("pledges:detail", pk=published.pk),
                "other": 404,
                "other_staff": 404,
                "anonymous": LOGIN,
            },
            owner=_member_of(published.organization),
        ),
    ]


def build_pledge_submit() -> list[Case]:
    draft = PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None)
    return [
        Case(
            "submit a draft pledge",
            {"pk": draft.pk},
            {
                "owner": to("pledges:detail", pk=draft.pk),
                "other": 404,
                "other_staff": 404,
                "anonymous": LOGIN,
            },
            owner=_member_of(draft.organization),
            method="POST",
            state=lambda: type(draft).objects.get(pk=draft.pk).status,
        )
    ]


def build_pledge_progress() -> list[Case]:
    published = PledgeFactory()
    draft = PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None)
    return [
        Case(
            "published pledge: its organization reports progress",
            {"pk": published.pk},
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": LOGIN},
            owner=_member_of(published.organization),
        ),
        Case(
            "draft pledge: nothing to report yet",
            {"pk": draft.pk},
            {"owner": 404, "other": 404, "other_staff": 404, "anonymous": LOGIN},
            owner=_member_of(draft.organization),
        ),
    ]


def _with_document(submission):
    submission.document.save("supporting.pdf", ContentFile(PDF), save=False)
    submission.document_name = "supporting.pdf"
    submission.save()
    return submission


def _document_cases(factory) -> list[Case]:
    published = _with_document(factory())
    draft = _with_document(factory(status=SubmissionStatus.DRAFT, published_at=None))
    return [
        Case("published submission's document", {"pk": published.pk}, same(200)),
        Case(
            "draft submission's document: its organization only",
            {"pk": draft.pk},
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": 404},
            owner=_member_of(draft.organization),
        ),
    ]


def build_review_inputs() -> list[Case]:
    written_input = WrittenInputFactory()
    draft_input = WrittenInputFactory(
        review=written_input.review, status=SubmissionStatus.DRAFT, published_at=None, title_en="Draft input"
    )
    unpublished = RegionalReviewFactory(is_published=False)
    return [
        Case(
            "published review's inputs (never a draft)",
            {"slug": written_input.review.slug},
            same(200),
            owner=_member_of(draft_input.organization),
            secret=draft_input.title_en,
        ),
        Case("unpublished review", {"slug": unpublished.slug}, same(404), owner=team_member(unpublished)),
    ]


def build_input_create() -> list[Case]:
    review = RegionalReviewFactory()
    unpublished = RegionalReviewFactory(is_published=False)
    return [
        Case(
            "published review: people of an organization",
            {"slug": review.slug},
            {"owner": 403, "other": 200, "anonymous": LOGIN},
            # A person without an organization cannot submit on anyone's behalf.
            owner=ProfileFactory().user,
        ),
        Case("unpublished review", {"slug": unpublished.slug}, {"other": 404, "anonymous": LOGIN}),
    ]


def build_input_edit() -> list[Case]:
    draft = WrittenInputFactory(status=SubmissionStatus.DRAFT, published_at=None)
    return [
        Case(
            "draft written input",
            {"pk": draft.pk},
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": LOGIN},
            owner=_member_of(draft.organization),
            secret=draft.title_en,
            secret_for=("owner",),
        )
    ]


def _review_with_outcome(*, final: bool):
    review = RegionalReviewFactory()
    outcome = OutcomeDocumentFactory(
        review=review, status=OutcomeDocument.Status.FINAL if final else OutcomeDocument.Status.DRAFT
    )
    return review, outcome


def _render(source, *, public: bool) -> RenderedDocument:
    kind = "outcome_document" if isinstance(source, OutcomeDocument) else "consultation_summary"
    rendered = RenderedDocument(
        **{kind: source},
        language="en",
        version=RenderedDocument.objects.count() + 1,
        status=RenderedDocument.Status.DONE,
        content_hash=f"{source.pk}-{public}-{RenderedDocument.objects.count()}",
        is_public=public,
        finished_at=timezone.now(),
    )
    rendered.file.save("rendered.pdf", ContentFile(PDF), save=False)
    rendered.save()
    return rendered


def build_review_documents() -> list[Case]:
    public_review, final = _review_with_outcome(final=True)
    _render(final, public=True)
    draft_review, draft = _review_with_outcome(final=False)
    draft_pdf = _render(draft, public=False)
    return [
        Case("final outcome document", {"slug": public_review.slug}, same(200)),
        Case(
            "draft outcome document: the review's team only",
            {"slug": draft_review.slug},
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": 404},
            owner=team_member(draft_review, ReviewMembership.Role.RAPPORTEUR),
            secret=url_for("reports:download", {"pk": draft_pdf.pk}),
            secret_for=("owner",),
        ),
    ]


def build_render_status() -> list[Case]:
    review, _outcome = _review_with_outcome(final=False)
    # A JSON feed polled by the page's script: refused outright (403), never a login redirect.
    return [
        Case(
            "render progress",
            {"slug": review.slug},
            {"owner": 200, "other": 403, "other_staff": 403, "anonymous": 403},
            owner=team_member(review, ReviewMembership.Role.RAPPORTEUR),
        )
    ]


def build_edit_outcome() -> list[Case]:
    review, _outcome = _review_with_outcome(final=False)
    return [Case("outcome document", {"slug": review.slug}, STAFF, owner=team_member(review))]


def _outcome_post(*, final: bool, owner_to: str) -> Callable[[], list[Case]]:
    def build() -> list[Case]:
        review, outcome = _review_with_outcome(final=final)
        return [
            Case(
                "outcome document action",
                {"slug": review.slug},
                {
                    "owner": to(owner_to, slug=review.slug),
                    "other": 403,
                    "other_staff": 403,
                    "anonymous": LOGIN,
                },
                owner=team_member(review, ReviewMembership.Role.RAPPORTEUR),
                method="POST",
                state=lambda: (
                    OutcomeDocument.objects.get(pk=outcome.pk).status,
                    RenderedDocument.objects.filter(outcome_document=outcome).count(),
                ),
            )
        ]

    return build


def _summary():
    consultation = ConsultationFactory()
    summary = ConsultationSummaryFactory(consultation=consultation)
    return consultation, summary


def build_edit_summary() -> list[Case]:
    consultation, _summary_row = _summary()
    elsewhere = ConsultationFactory()
    owner = team_member(consultation.review, ReviewMembership.Role.RAPPORTEUR)
    return [
        Case(
            "consultation summary",
            {"slug": consultation.review.slug, "consultation_slug": consultation.slug},
            STAFF,
            owner=owner,
        ),
        Case(
            "another review's consultation under this review",
            {"slug": consultation.review.slug, "consultation_slug": elsewhere.slug},
            {"owner": 404, "other": 403, "other_staff": 403, "anonymous": LOGIN},
            owner=owner,
        ),
    ]


def build_generate_summary() -> list[Case]:
    consultation, summary = _summary()
    return [
        Case(
            "render a summary",
            {"slug": consultation.review.slug, "consultation_slug": consultation.slug},
            {
                "owner": to("reports:review_documents", slug=consultation.review.slug),
                "other": 403,
                "other_staff": 403,
                "anonymous": LOGIN,
            },
            owner=team_member(consultation.review, ReviewMembership.Role.RAPPORTEUR),
            method="POST",
            state=lambda: RenderedDocument.objects.filter(consultation_summary=summary).count(),
        )
    ]


def build_download() -> list[Case]:
    _review, final = _review_with_outcome(final=True)
    public_pdf = _render(final, public=True)
    draft_review, draft = _review_with_outcome(final=False)
    draft_pdf = _render(draft, public=False)
    consultation, summary = _summary()
    summary.status = ConsultationSummary.Status.DRAFT
    summary.save()
    summary_pdf = _render(summary, public=False)
    return [
        Case("public PDF of a final document", {"pk": public_pdf.pk}, same(200)),
        Case(
            "draft PDF",
            {"pk": draft_pdf.pk},
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": 404},
            owner=team_member(draft_review, ReviewMembership.Role.RAPPORTEUR),
        ),
        Case(
            "draft summary PDF",
            {"pk": summary_pdf.pk},
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": 404},
            owner=team_member(consultation.review, ReviewMembership.Role.RAPPORTEUR),
        ),
    ]


# The open-data API: public, read-only, published objects only, whoever asks (even the draft's own team).


def build_api_review() -> list[Case]:
    published = RegionalReviewFactory()
    draft = RegionalReviewFactory(is_published=False)
    return [
        Case("published review", {"slug": published.slug}, same(200)),
        Case("unpublished review", {"slug": draft.slug}, same(404), owner=team_member(draft)),
    ]


def build_api_event() -> list[Case]:
    published = ReviewEventFactory()
    draft = ReviewEventFactory(review=RegionalReviewFactory(is_published=False))
    return [
        Case("event of a published review", {"pk": published.pk}, same(200)),
        Case("event of an unpublished review", {"pk": draft.pk}, same(404), owner=team_member(draft.review)),
    ]


def build_api_consultation() -> list[Case]:
    registration = RegistrationFactory()
    draft = ConsultationFactory(is_published=False, status=Consultation.Status.DRAFT)
    return [
        Case(
            "published consultation: never its meeting link",
            {"slug": registration.consultation.slug},
            same(200),
            owner=registration.user,
            secret=MEETING_LINK,
        ),
        Case("unpublished consultation", {"slug": draft.slug}, same(404), owner=team_member(draft.review)),
    ]


def build_api_pledge() -> list[Case]:
    published = PledgeFactory(contact_email="api.contact@example.org")
    draft = PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None)
    return [
        Case(
            "published pledge: never its contact person",
            {"pk": published.pk},
            same(200),
            owner=_member_of(published.organization),
            secret="api.contact@example.org",
        ),
        Case("draft pledge", {"pk": draft.pk}, same(404), owner=_member_of(draft.organization)),
    ]


def build_api_written_input() -> list[Case]:
    published = WrittenInputFactory()
    draft = WrittenInputFactory(status=SubmissionStatus.DRAFT, published_at=None)
    return [
        Case("published written input", {"pk": published.pk}, same(200)),
        Case("draft written input", {"pk": draft.pk}, same(404), owner=_member_of(draft.organization)),
    ]


def _api_list(make_draft: Callable[[], str]) -> Callable[[], list[Case]]:
    def build() -> list[Case]:
        return [Case("list as JSON, without drafts", {}, same(200), secret=make_draft())]

    return build


def _draft_review_title() -> str:
    return RegionalReviewFactory(is_published=False, title_en="Unpublished review XYZ").title_en


def _draft_event_title() -> str:
    return ReviewEventFactory(
        review=RegionalReviewFactory(is_published=False), title_en="Hidden event XYZ"
    ).title_en


def _draft_consultation_title() -> str:
    return ConsultationFactory(is_published=False, title_en="Hidden consultation XYZ").title_en


def _draft_pledge_title() -> str:
    return PledgeFactory(
        status=SubmissionStatus.DRAFT, published_at=None, title_en="Hidden pledge XYZ"
    ).title_en


def _draft_input_title() -> str:
    return WrittenInputFactory(
        status=SubmissionStatus.DRAFT, published_at=None, title_en="Hidden input XYZ"
    ).title_en


def build_api_root() -> list[Case]:
    return [Case("API root as JSON", {}, same(200))]


# allauth's e-mail links carry a secret key: whoever holds the link is who it was sent to, so the page opens
# for any visitor; a wrong key never does anything.


def build_confirm_email() -> list[Case]:
    user = UserFactory()
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    key = EmailConfirmationHMAC(address).key
    return [
        Case("valid key", {"key": key}, same(200), owner=user),
        Case(
            "forged key: the 'invalid link' page, no address shown",
            {"key": "bm90LWEta2V5:1tAbCd:forged"},
            same(200),
            owner=user,
            secret=user.email,
        ),
    ]


def build_reset_password() -> list[Case]:
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    uidb36 = user_pk_to_url_str(user)
    key = default_token_generator.make_token(user)
    path = url_for("account_reset_password_from_key", {"uidb36": uidb36, "key": "set-password"})
    return [
        # The key moves into the session and the browser is sent to the same page without it in the URL. Not
        # tried as the owner logged in: logging in changes last_login, which the token is made from.
        Case(
            "valid key",
            {"uidb36": uidb36, "key": key},
            dict.fromkeys(("other", "other_staff", "anonymous"), ("to", path)),
        ),
        Case("forged key", {"uidb36": uidb36, "key": "forged-0123"}, same(200), owner=user),
    ]


ACCESS_TABLE: dict[str, Callable[[], list[Case]]] = {
    # reviews
    "reviews:objective": build_objective,
    "reviews:detail": build_review_pages,
    "reviews:timeline_ics": build_review_pages,
    "reviews:timeline_json": build_review_pages,
    "reviews:coverage": build_review_pages,
    "reviews:coverage_csv": build_review_pages,
    # consultations
    "consultations:cancel": build_cancel,
    "consultations:calendar": build_calendar,
    "consultations:detail": build_consultation_detail,
    "consultations:register": build_register,
    "consultations:document": build_document,
    "consultations:organizer": _organizer_page(),
    "consultations:balance": _organizer_page(shows_names=False),
    "consultations:organizer_action": build_organizer_action,
    "consultations:export": _organizer_page({"fmt": "csv"}),
    "consultations:key_messages": build_key_messages,
    "consultations:key_message_edit": build_key_message_edit,
    "consultations:key_message_status": build_key_message_status,
    # pledges
    "pledges:detail": build_pledge_detail,
    "pledges:edit": build_pledge_edit,
    "pledges:submit": build_pledge_submit,
    "pledges:progress": build_pledge_progress,
    "pledges:document": lambda: _document_cases(PledgeFactory),
    "pledges:review_inputs": build_review_inputs,
    "pledges:input_create": build_input_create,
    "pledges:input_edit": build_input_edit,
    "pledges:input_document": lambda: _document_cases(WrittenInputFactory),
    # reports
    "reports:review_documents": build_review_documents,
    "reports:render_status": build_render_status,
    "reports:edit_outcome": build_edit_outcome,
    "reports:generate_outcome": _outcome_post(final=False, owner_to="reports:review_documents"),
    "reports:finalize_outcome": _outcome_post(final=False, owner_to="reports:review_documents"),
    "reports:reopen_outcome": _outcome_post(final=True, owner_to="reports:review_documents"),
    "reports:edit_summary": build_edit_summary,
    "reports:generate_summary": build_generate_summary,
    "reports:download": build_download,
    # open-data API (the `format` suffix variants are tried with format=json)
    "api-root": build_api_root,
    "api-review-list": _api_list(_draft_review_title),
    "api-review-detail": build_api_review,
    "api-event-list": _api_list(_draft_event_title),
    "api-event-detail": build_api_event,
    "api-consultation-list": _api_list(_draft_consultation_title),
    "api-consultation-detail": build_api_consultation,
    "api-pledge-list": _api_list(_draft_pledge_title),
    "api-pledge-detail": build_api_pledge,
    "api-written-input-list": _api_list(_draft_input_title),
    "api-written-input-detail": build_api_written_input,
    # accounts
    "account_confirm_email": build_confirm_email,
    "account_reset_password_from_key": build_reset_password,
}


# --- The walker ----------------------------------------------------------------------------------------


def _walk(patterns, namespace: str | None = None) -> Iterator[tuple[str, frozenset[str]]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace
            child = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            parent_args = frozenset(entry.pattern.regex.groupindex)
            for name, args in _walk(entry.url_patterns, child):
                yield name, args | parent_args
        elif isinstance(entry, URLPattern):
            args = frozenset(entry.pattern.regex.groupindex)
            if args:
                yield (f"{namespace}:{entry.name}" if namespace else entry.name or ""), args


def patterns_with_arguments() -> dict[str, set[frozenset[str]]]:
    """{pattern name: the argument sets its patterns take}, admin excluded."""
    found: dict[str, set[frozenset[str]]] = {}
    for name, args in _walk(get_resolver().url_patterns):
        if name.split(":", 1)[0] in EXCLUDED_NAMESPACES:
            continue
        found.setdefault(name, set()).add(args)
    return found


def test_the_walker_finds_the_object_urls():
    found = patterns_with_arguments()
    assert frozenset({"pk"}) in found["consultations:cancel"]
    assert frozenset({"slug", "consultation_slug"}) in found["reports:edit_summary"]
    # The router's format-suffix variants are found as patterns of their own.
    assert found["api-pledge-detail"] == {frozenset({"pk"}), frozenset({"pk", "format"})}
    assert not any(name.startswith("admin:") for name in found)


def test_every_url_with_arguments_has_a_row():
    missing = sorted(set(patterns_with_arguments()) - set(ACCESS_TABLE))
    assert missing == [], f"Add these URL patterns to ACCESS_TABLE in {__file__}: {missing}"
    stale = sorted(set(ACCESS_TABLE) - set(patterns_with_arguments()))
    assert stale == [], f"These rows name URL patterns that no longer exist: {stale}"


@pytest.fixture
def people(db):
    """The roles that are the same for every row: another person (completed profile, own organization), a
    staff member on another review's team, and nobody."""
    return {
        "other": participant_with_organization(),
        "other_staff": team_member(RegionalReviewFactory()),
        "anonymous": None,
    }


def _request(client, method: str, url: str, data: dict):
    return client.post(url, data) if method == "POST" else client.get(url)


def _check(response, expected, *, where: str) -> None:
    login_path = url_for("account_login", {})
    if expected == LOGIN:
        assert response.status_code == 302, where
        assert urlsplit(response["Location"]).path == login_path, where
    elif isinstance(expected, tuple):
        assert response.status_code == 302, where
        target = urlsplit(response["Location"])
        wanted = urlsplit(expected[1])
        assert (target.path, target.fragment) == (wanted.path, wanted.fragment), where
    else:
        assert response.status_code == expected, where


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def _urls(name: str, case: Case) -> list[str]:
    found = patterns_with_arguments()[name]
    urls = []
    for args in sorted(found, key=len):
        kwargs = dict(case.kwargs)
        if "format" in args:
            kwargs["format"] = "json"
        if set(kwargs) == set(args):
            urls.append(url_for(name, kwargs))
    assert urls, f"{name}: the case's kwargs {sorted(case.kwargs)} fit none of {found}"
    return urls


@pytest.mark.parametrize("name", sorted(ACCESS_TABLE))
def test_access(name, client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Throttles count requests per client address; this test sends many from one.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "10000/hour"}}
    for case in ACCESS_TABLE[name]():
        users = {**people, "owner": case.owner}
        for url in _urls(name, case):
            if case.method == "POST":
                client.force_login(case.owner)
                where = f"{name} [{case.label}] GET by the owner"
                assert client.get(url).status_code == 405, where
            # The owner goes last for POSTs: theirs is the one request that may change the object.
            order = [role for role in ("other", "other_staff", "anonymous", "owner") if role in case.expect]
            for role in order:
                where = f"{name} [{case.label}] {case.method} {url} as {role}"
                client.logout()
                if users[role] is not None:
                    client.force_login(users[role])
                before = case.state() if case.state else None
                response = _request(client, case.method, url, case.post_data)
                _check(response, case.expect[role], where=where)
                if case.state and role != "owner":
                    assert case.state() == before, f"{where}: a refused POST changed the object"
                if case.secret and role not in case.secret_for:
                    assert case.secret not in _body(response), f"{where}: shows what it must not"
                elif case.secret and response.status_code == 200:
                    assert case.secret in _body(response), f"{where}: should show it"
            if case.method == "POST" and case.state:
                # Only one owner POST per case: the second URL variant would find the object changed.
                break


def test_a_refused_post_changes_nothing_but_the_owners_does(client, db):
    """The state snapshots above are not vacuous: the owner's POST does change the object."""
    (case,) = build_cancel()
    client.force_login(case.owner)
    client.post(url_for("consultations:cancel", case.kwargs))
    assert case.state() == Registration.Status.CANCELLED


def test_public_pages_never_list_participants(client, db):
    """No public page lists who takes part, whether or not they agreed to be listed (there is no
    "participants who agreed to be listed" section yet): names stay with the organizers."""
    consenting = RegistrationFactory()
    profile = consenting.user.profile
    profile.full_name = "Consenting Participant Name"
    profile.public_listing_consent_at = timezone.now()
    profile.save()
    consultation = consenting.consultation
    private = RegistrationFactory(consultation=consultation)
    private_name = private.user.profile.full_name
    summary = ConsultationSummaryFactory(
        consultation=consultation, status=ConsultationSummary.Status.PUBLISHED
    )
    _render(summary, public=True)
    pages = [
        url_for("consultations:list", {}),
        url_for("consultations:detail", {"slug": consultation.slug}),
        url_for("reviews:detail", {"slug": consultation.review.slug}),
        url_for("reports:review_documents", {"slug": consultation.review.slug}),
        url_for("pledges:review_inputs", {"slug": consultation.review.slug}),
        f"/api/consultations/{consultation.slug}/",
        "/api/consultations/",
    ]
    other = participant_with_organization()
    for who in (None, other):
        client.logout()
        if who:
            client.force_login(who)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            body = _body(response)
            for name in ("Consenting Participant Name", private_name, consenting.user.email):
                assert name not in body, f"{url} lists {name}"


def test_meeting_link_only_on_the_confirmed_persons_own_page(client, db):
    registration = RegistrationFactory()
    waitlisted = RegistrationFactory(
        consultation=registration.consultation, status=Registration.Status.WAITLISTED
    )
    page = url_for("consultations:my_registrations", {})
    client.force_login(registration.user)
    assert MEETING_LINK in _body(client.get(page))
    client.force_login(waitlisted.user)
    assert MEETING_LINK not in _body(client.get(page))
    client.force_login(participant_with_organization())
    assert MEETING_LINK not in _body(client.get(page))
