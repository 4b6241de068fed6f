"""Object-level access, URL by URL: every pattern of the project that takes an id, a slug or any other
argument must have a row in ACCESS_TABLE saying what its owner, another logged-in person with a completed
profile, a staff member of another review, and an anonymous visitor get. A new URL without a row fails
`test_every_url_with_arguments_has_a_row`, so nobody can add an object page without deciding who sees it.

A row's builder creates the objects with factories and returns one or more Cases (a published and a draft
object are two cases). Every case names what each of ROLES gets, or excuses a role with a reason; a role
neither expected nor excused fails the row. A case may add roles of its own in `people`: a rapporteur of
the same review (who writes key messages but neither manages participants nor publishes, finalises or
generates documents: reviews.permissions.MANAGING_ROLES), a team member whose account is not staff (no
review rights at all), a colleague whose organization the secretariat has not confirmed (no rights on
submissions they did not create), a person without a completed profile.

GET cases fetch the page. POST cases send a POST; for POST-only URLs GET must answer 405 as well. In a POST
case every role not in `allowed` must be refused AND change nothing: the whole project state (every row of
the project's own models, audit entries included, accounts, e-mails sent, uploaded files) is compared before
and after. An allowed role (tried last) changes what its `effect` asserts. A row with no POST case is
read-only: a POST there must answer 405, or exactly what the GET answers, and change nothing, so a view that
starts accepting POST without a POST case here fails.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from consultations.models import BackgroundDocument, Consultation, KeyMessage, Registration
from gcm_portal.models import AuditEntry
from pledges.models import ProgressUpdate, SubmissionStatus, WrittenInput
from reports.models import ConsultationSummary, OutcomeDocument, RenderedDocument
from reviews.models import PledgeForm, ReviewMembership
from tests.consultations.factories import (
    ConsultationFactory,
    ProfileFactory,
    RegistrationFactory,
)
from tests.factories import (
    RegionalReviewFactory,
    ReviewEventFactory,
    StaffUserFactory,
    UserFactory,
    objective,
    stakeholder_group,
)
from tests.pledges.factories import (
    LONG_TEXT_EN,
    OrganizationFactory,
    PledgeFactory,
    WrittenInputFactory,
    member_of,
    unconfirmed_member_of,
)
from tests.reports.factories import ConsultationSummaryFactory, OutcomeDocumentFactory

ROLES = ("owner", "other", "other_staff", "anonymous")
LOGIN = "login"  # a 302 to the login page
PDF = b"%PDF-1.4\n% access test\n"
MEETING_LINK = "https://meet.example.org/secret-room-42"

# The admin checks its own rights (is_staff plus model permissions) and has its own tests in
# tests/*/test_admin.py; its object URLs take primary keys of every model and would double this table.
EXCLUDED_NAMESPACES = {"admin"}

# The apps whose every row a refused request must leave as it was.
PROJECT_APPS = ("consultations", "gcm_portal", "pledges", "reports", "reviews", "stakeholders")


@dataclass
class Case:
    """One object and what each role gets. `expect` maps a role to a status code, LOGIN, or ("to", path)
    for a redirect to that path. Each of ROLES is either in `expect` or in `excused` with the reason it is not
    tried; `people` adds roles of this case only (each must be in `expect`)."""

    label: str
    kwargs: dict
    expect: dict
    owner: object = None
    method: str = "GET"
    post_data: dict = field(default_factory=dict)
    # POST cases: False for views that also answer GET (the form pages), whose GET is a case of its own.
    post_only: bool = True
    # POST cases: the roles whose POST may change something, tried last; `effect(user)` asserts what it did.
    allowed: tuple = ()
    effect: Callable[[object], None] | None = None
    # POST cases: a snapshot of the object, equal before and after a refused POST (on top of project_state).
    state: Callable[[], object] | None = None
    excused: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    # Text that only the roles in `secret_for` may see (a meeting link, a contact person, a name).
    secret: str = ""
    secret_for: tuple = ()


def posting(case: Case, label: str, expect: dict, data: dict | None = None, **changes) -> Case:
    """The POST case of a page that answers GET and POST, on the GET case's object and people."""
    return dataclasses.replace(
        case,
        label=f"{case.label}: {label}",
        expect=expect,
        method="POST",
        post_only=False,
        post_data=data or {},
        secret="",
        secret_for=(),
        **changes,
    )


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


def member_not_staff(review, role=ReviewMembership.Role.ORGANIZER):
    """On the review's team, but no longer a staff account: review rights need `is_staff`."""
    user = UserFactory()
    ProfileFactory(user=user)
    ReviewMembership.objects.create(review=review, user=user, role=role)
    return user


def same(status) -> dict:
    return dict.fromkeys(ROLES, status)


def project_state() -> dict[str, object]:
    """Every row of the project's own models (AuditEntry included) and their many-to-many links, the
    accounts' passwords, flags and addresses, the e-mails sent and the files uploaded."""
    state: dict[str, object] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in PROJECT_APPS:
            state[model._meta.label] = list(model._base_manager.order_by("pk").values())
    state["audit entries"] = AuditEntry.objects.count()
    state["accounts"] = list(
        get_user_model()
        ._base_manager.order_by("pk")
        .values_list("pk", "password", "email", "is_active", "is_staff", "is_superuser")
    )
    state["e-mail addresses"] = list(EmailAddress.objects.order_by("pk").values())
    state["e-mails sent"] = [(message.subject, tuple(message.to)) for message in mail.outbox]
    media = Path(django_settings.MEDIA_ROOT)
    state["files"] = (
        sorted(str(path.relative_to(media)) for path in media.rglob("*")) if media.exists() else []
    )
    return state


def assert_unchanged(before: dict, where: str) -> None:
    after = project_state()
    changed = sorted(key for key in before if before[key] != after[key])
    assert changed == [], f"{where}: a refused request changed {changed}"


def refresh(obj):
    return type(obj)._base_manager.get(pk=obj.pk)


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
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": 404, "member_not_staff": 404},
            owner=team_member(draft),
            people={"member_not_staff": member_not_staff(draft)},
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
            allowed=("owner",),
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


NO_OWNER = "nobody owns it: anyone with a completed profile may register"


def build_register() -> list[Case]:
    consultation = ConsultationFactory()
    draft = ConsultationFactory(is_published=False, status=Consultation.Status.DRAFT)
    without_profile = UserFactory()
    data = {"interpretation_language": "en"}

    def registered(user):
        registration = Registration.objects.get(consultation=consultation, user=user)
        assert registration.status == Registration.Status.CONFIRMED

    open_form = Case(
        "open consultation: the form, for people with a profile",
        {"slug": consultation.slug},
        {"other": 200, "other_staff": 200, "anonymous": LOGIN},
        excused={"owner": NO_OWNER},
    )
    closed_form = Case(
        "unpublished consultation",
        {"slug": draft.slug},
        {"other": 404, "other_staff": 404, "anonymous": LOGIN},
        excused={"owner": NO_OWNER},
    )
    return [
        open_form,
        closed_form,
        posting(
            open_form,
            "registering",
            {
                "anonymous": LOGIN,
                "without_profile": to("stakeholders:profile"),
                "other": to("consultations:my_registrations"),
            },
            data,
            people={"without_profile": without_profile},
            allowed=("other",),
            effect=registered,
            excused={"owner": NO_OWNER, "other_staff": "registers like `other`; one registration is enough"},
        ),
        posting(
            closed_form,
            "registering",
            {"other": 404, "other_staff": 404, "anonymous": LOGIN},
            data,
            excused={"owner": NO_OWNER},
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
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": 404, "member_not_staff": 404},
            owner=team_member(draft_consultation.review),
            people={"member_not_staff": member_not_staff(draft_consultation.review)},
        ),
        Case(
            "document asked for under another consultation's slug",
            {"slug": published.consultation.slug, "pk": draft.pk},
            same(404),
        ),
    ]


STAFF = {"owner": 200, "other": 403, "other_staff": 403, "anonymous": LOGIN}
REFUSED = {"other": 403, "other_staff": 403, "anonymous": LOGIN}


def managers(review) -> dict:
    """The review's rapporteur, who may not manage participants nor decide on documents (MANAGING_ROLES),
    and an organizer whose account is no longer staff, who may do nothing."""
    return {
        "rapporteur": team_member(review, ReviewMembership.Role.RAPPORTEUR),
        "member_not_staff": member_not_staff(review),
    }


MANAGERS_ONLY = {"rapporteur": 403, "member_not_staff": 403}


def _organizer_page(extra: dict | None = None) -> Callable[[], list[Case]]:
    def build() -> list[Case]:
        registration = RegistrationFactory()
        consultation = registration.consultation
        return [
            Case(
                "the consultation's organizers",
                {"slug": consultation.slug, **(extra or {})},
                {**STAFF, **MANAGERS_ONLY},
                owner=team_member(consultation.review),
                people=managers(consultation.review),
                secret=registration.user.profile.full_name,
                secret_for=("owner",),
            )
        ]

    return build


def build_balance() -> list[Case]:
    registration = RegistrationFactory()
    consultation = registration.consultation
    waitlisted = RegistrationFactory(consultation=consultation, status=Registration.Status.WAITLISTED)
    page = Case(
        "the consultation's organizers",
        {"slug": consultation.slug},
        {**STAFF, **MANAGERS_ONLY},
        owner=team_member(consultation.review),
        people=managers(consultation.review),
        # The balance page shows figures only; names are on the organizer page and in the export.
        secret=registration.user.profile.full_name,
    )

    def promoted(_user):
        assert refresh(waitlisted).status == Registration.Status.CONFIRMED
        assert AuditEntry.objects.filter(action="registration.promote").count() == 1

    return [
        page,
        posting(
            page,
            "promoting a waitlisted person",
            {**REFUSED, **MANAGERS_ONLY, "owner": to("consultations:balance", slug=consultation.slug)},
            {"registrations": [waitlisted.pk]},
            allowed=("owner",),
            effect=promoted,
        ),
    ]


def build_organizer_action() -> list[Case]:
    registration = RegistrationFactory()
    consultation = registration.consultation
    return [
        Case(
            "decline a registration",
            {"slug": consultation.slug, "pk": registration.pk},
            {
                "owner": to("consultations:organizer", slug=consultation.slug),
                **REFUSED,
                **MANAGERS_ONLY,
            },
            owner=team_member(consultation.review),
            people=managers(consultation.review),
            method="POST",
            post_data={"action": "decline"},
            allowed=("owner",),
            state=lambda: Registration.objects.get(pk=registration.pk).status,
        )
    ]


def _key_message(consultation=None) -> KeyMessage:
    from tests.reports.factories import KeyMessageFactory

    return KeyMessageFactory(
        consultation=consultation or ConsultationFactory(), status=KeyMessage.Status.DRAFT
    )


def _key_message_form(text: str) -> dict:
    return {
        "kind": KeyMessage.Kind.RECOMMENDATIONS,
        "objectives": [objective(17).pk],
        "original_language": "en",
        "order": 0,
        "text_en": text,
    }


NOT_STAFF = {"member_not_staff": 403}


def build_key_messages() -> list[Case]:
    message = _key_message()
    consultation = message.consultation
    text = "A key message the access test adds"
    page = Case(
        "the review's rapporteurs",
        {"slug": consultation.slug},
        {**STAFF, **NOT_STAFF},
        owner=team_member(consultation.review, ReviewMembership.Role.RAPPORTEUR),
        people={"member_not_staff": member_not_staff(consultation.review, ReviewMembership.Role.RAPPORTEUR)},
        secret=message.text_en,
        secret_for=("owner",),
    )

    def added(user):
        (added,) = KeyMessage.objects.filter(consultation=consultation, text_en=text)
        assert added.created_by == user

    return [
        page,
        posting(
            page,
            "adding a key message",
            {**REFUSED, **NOT_STAFF, "owner": to("consultations:key_messages", slug=consultation.slug)},
            _key_message_form(text),
            allowed=("owner",),
            effect=added,
        ),
    ]


def build_key_message_edit() -> list[Case]:
    message = _key_message()
    review = message.consultation.review
    other_consultation = ConsultationFactory(review=review)
    text = "Key message text changed by the access test"
    page = Case(
        "a key message",
        {"slug": message.consultation.slug, "pk": message.pk},
        {**STAFF, **NOT_STAFF},
        owner=team_member(review, ReviewMembership.Role.RAPPORTEUR),
        people={"member_not_staff": member_not_staff(review, ReviewMembership.Role.RAPPORTEUR)},
    )
    elsewhere = Case(
        "a key message under another consultation's slug",
        {"slug": other_consultation.slug, "pk": message.pk},
        {"owner": 404, "other": 403, "other_staff": 403, "anonymous": LOGIN},
        owner=team_member(review, ReviewMembership.Role.RAPPORTEUR),
    )

    def edited(_user):
        assert refresh(message).text_en == text

    return [
        page,
        elsewhere,
        posting(elsewhere, "editing", elsewhere.expect, _key_message_form(text)),
        posting(
            page,
            "editing",
            {
                **REFUSED,
                **NOT_STAFF,
                "owner": to("consultations:key_messages", slug=message.consultation.slug),
            },
            _key_message_form(text),
            allowed=("owner",),
            effect=edited,
        ),
    ]


def build_key_message_status() -> list[Case]:
    message = _key_message()
    slug = message.consultation.slug
    review = message.consultation.review
    return [
        Case(
            "approve a key message",
            {"slug": slug, "pk": message.pk},
            {
                "owner": (
                    "to",
                    url_for("consultations:key_messages", {"slug": slug}) + f"#key-message-{message.pk}",
                ),
                **REFUSED,
                **NOT_STAFF,
            },
            owner=team_member(review, ReviewMembership.Role.RAPPORTEUR),
            people={"member_not_staff": member_not_staff(review, ReviewMembership.Role.RAPPORTEUR)},
            method="POST",
            post_data={"status": KeyMessage.Status.APPROVED},
            allowed=("owner",),
            state=lambda: KeyMessage.objects.get(pk=message.pk).status,
        )
    ]


def _member_of(organization):
    """A member of the organization whom the secretariat has confirmed: acts for it (pledges.access)."""
    return member_of(organization)


def colleague(submission) -> dict:
    """Someone whose profile names the submitting organization, not (yet) confirmed by the secretariat: no
    rights on a submission they did not create."""
    assert submission.created_by_id is None
    return {"unconfirmed_colleague": unconfirmed_member_of(submission.organization)}


NOT_OWN = {"other": 404, "other_staff": 404, "anonymous": LOGIN}
UNCONFIRMED = {"unconfirmed_colleague": 404}


def build_pledge_detail() -> list[Case]:
    published = PledgeFactory(contact_name="Published Pledge Contact")
    draft = PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None, title_en="Draft pledge")
    return [
        Case(
            "published pledge: its contact person for the organization only",
            {"pk": published.pk},
            {**same(200), "unconfirmed_colleague": 200},
            owner=_member_of(published.organization),
            people=colleague(published),
            secret="Published Pledge Contact",
            secret_for=("owner",),
        ),
        Case(
            "draft pledge",
            {"pk": draft.pk},
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": 404, **UNCONFIRMED},
            owner=_member_of(draft.organization),
            people=colleague(draft),
        ),
    ]


def _pledge_basics(title: str) -> dict:
    return {
        "original_language": "en",
        "title": title,
        "description": LONG_TEXT_EN,
        "form": PledgeForm.objects.get(key="policy").pk,
        "objectives": [objective(6).pk],
    }


def build_pledge_edit() -> list[Case]:
    draft = PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None)
    published = PledgeFactory()
    title = "Pledge title changed by the access test"
    draft_page = Case(
        "draft pledge",
        {"pk": draft.pk, "step": "basics"},
        {"owner": 200, **NOT_OWN, **UNCONFIRMED},
        owner=_member_of(draft.organization),
        people=colleague(draft),
        secret=draft.title_en,
        secret_for=("owner",),
    )
    published_page = Case(
        "published pledge: no longer editable",
        {"pk": published.pk, "step": "basics"},
        {"owner": to("pledges:detail", pk=published.pk), **NOT_OWN, **UNCONFIRMED},
        owner=_member_of(published.organization),
        people=colleague(published),
    )

    def saved(_user):
        assert refresh(draft).title_en == title
        assert refresh(draft).status == SubmissionStatus.DRAFT

    return [
        draft_page,
        published_page,
        # The organization's own POST to a published pledge is refused too: it must change nothing.
        posting(published_page, "saving", published_page.expect, _pledge_basics(title)),
        posting(
            draft_page,
            "saving",
            {**NOT_OWN, **UNCONFIRMED, "owner": to("pledges:edit", pk=draft.pk, step="measures")},
            _pledge_basics(title),
            allowed=("owner",),
            effect=saved,
        ),
    ]


def build_pledge_submit() -> list[Case]:
    draft = PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None)
    return [
        Case(
            "submit a draft pledge",
            {"pk": draft.pk},
            {"owner": to("pledges:detail", pk=draft.pk), **NOT_OWN, **UNCONFIRMED},
            owner=_member_of(draft.organization),
            people=colleague(draft),
            method="POST",
            allowed=("owner",),
            state=lambda: type(draft).objects.get(pk=draft.pk).status,
        )
    ]


def _progress_form() -> dict:
    return {
        "date": timezone.localdate().isoformat(),
        "implementation_status": "in_progress",
        "narrative": "Progress reported by the access test.",
    }


def build_pledge_progress() -> list[Case]:
    published = PledgeFactory()
    draft = PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None)
    published_page = Case(
        "published pledge: its organization reports progress",
        {"pk": published.pk},
        {"owner": 200, **NOT_OWN, **UNCONFIRMED},
        owner=_member_of(published.organization),
        people=colleague(published),
    )
    draft_page = Case(
        "draft pledge: nothing to report yet",
        {"pk": draft.pk},
        {"owner": 404, **NOT_OWN},
        owner=_member_of(draft.organization),
    )

    def reported(user):
        (update,) = ProgressUpdate.objects.filter(pledge=published)
        assert update.narrative == "Progress reported by the access test." and update.created_by == user

    return [
        published_page,
        draft_page,
        posting(draft_page, "reporting", draft_page.expect, _progress_form()),
        posting(
            published_page,
            "reporting",
            {**NOT_OWN, **UNCONFIRMED, "owner": to("pledges:detail", pk=published.pk)},
            _progress_form(),
            allowed=("owner",),
            effect=reported,
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
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": 404, **UNCONFIRMED},
            owner=_member_of(draft.organization),
            people=colleague(draft),
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


def _input_form(title: str) -> dict:
    return {
        "original_language": "en",
        "title": title,
        "stakeholder_group": stakeholder_group("civil_society").pk,
        "objectives": [objective(6).pk],
        "text": LONG_TEXT_EN,
    }


def build_input_create() -> list[Case]:
    review = RegionalReviewFactory()
    unpublished = RegionalReviewFactory(is_published=False)
    title = "Written input sent by the access test"
    no_owner = "nobody owns an unpublished review's inputs: nobody may send one"
    # A person without an organization cannot submit on anyone's behalf: the "owner" here has a completed
    # profile but no organization, and so has the staff member of another review.
    form = Case(
        "published review: people of an organization",
        {"slug": review.slug},
        {"owner": 403, "other": 200, "other_staff": 403, "anonymous": LOGIN},
        owner=ProfileFactory().user,
    )
    closed = Case(
        "unpublished review",
        {"slug": unpublished.slug},
        {"other": 404, "other_staff": 404, "anonymous": LOGIN},
        excused={"owner": no_owner},
    )

    def sent(user):
        (written,) = WrittenInput.objects.filter(review=review, title_en=title)
        assert written.organization_id == user.profile.organization_id
        assert written.status == SubmissionStatus.DRAFT

    return [
        form,
        closed,
        posting(closed, "sending", closed.expect, _input_form(title), excused={"owner": no_owner}),
        posting(
            form,
            "sending",
            {"owner": 403, "other_staff": 403, "anonymous": LOGIN, "other": 302},
            _input_form(title),
            allowed=("other",),
            effect=sent,
        ),
    ]


def build_input_edit() -> list[Case]:
    draft = WrittenInputFactory(status=SubmissionStatus.DRAFT, published_at=None)
    published = WrittenInputFactory()
    title = "Written input title changed by the access test"
    draft_page = Case(
        "draft written input",
        {"pk": draft.pk},
        {"owner": 200, **NOT_OWN, **UNCONFIRMED},
        owner=_member_of(draft.organization),
        people=colleague(draft),
        secret=draft.title_en,
        secret_for=("owner",),
    )
    published_page = Case(
        "published written input: no longer editable",
        {"pk": published.pk},
        {"owner": to("pledges:mine"), **NOT_OWN},
        owner=_member_of(published.organization),
    )

    def saved(_user):
        assert refresh(draft).title_en == title
        assert refresh(draft).status == SubmissionStatus.DRAFT

    return [
        draft_page,
        published_page,
        posting(published_page, "saving", published_page.expect, _input_form(title)),
        posting(
            draft_page,
            "saving",
            {**NOT_OWN, **UNCONFIRMED, "owner": to("pledges:input_edit", pk=draft.pk)},
            _input_form(title),
            allowed=("owner",),
            effect=saved,
        ),
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
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": 404, "member_not_staff": 404},
            owner=team_member(draft_review, ReviewMembership.Role.RAPPORTEUR),
            people={"member_not_staff": member_not_staff(draft_review)},
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
            {"owner": 200, "other": 403, "other_staff": 403, "anonymous": 403, "member_not_staff": 403},
            owner=team_member(review, ReviewMembership.Role.RAPPORTEUR),
            people={"member_not_staff": member_not_staff(review)},
        )
    ]


def _outcome_texts(text: str) -> dict:
    return {"preamble_en": f"<p>{text}</p>"}


def build_edit_outcome() -> list[Case]:
    review, outcome = _review_with_outcome(final=False)
    final_review, _final = _review_with_outcome(final=True)
    text = "Preamble changed by the access test."
    page = Case(
        "outcome document",
        {"slug": review.slug},
        {**STAFF, **NOT_STAFF},
        owner=team_member(review),
        people={"member_not_staff": member_not_staff(review)},
    )
    final_page = Case(
        "final outcome document: reopened before it is changed",
        {"slug": final_review.slug},
        {**REFUSED, **NOT_STAFF, "owner": to("reports:review_documents", slug=final_review.slug)},
        owner=team_member(final_review),
        people={"member_not_staff": member_not_staff(final_review)},
    )

    def saved(_user):
        assert text in refresh(outcome).preamble_en

    return [
        page,
        final_page,
        posting(final_page, "saving", final_page.expect, _outcome_texts(text)),
        posting(
            page,
            "saving",
            {**REFUSED, **NOT_STAFF, "owner": to("reports:review_documents", slug=review.slug)},
            _outcome_texts(text),
            allowed=("owner",),
            effect=saved,
        ),
    ]


def _outcome_post(*, final: bool, owner_to: str) -> Callable[[], list[Case]]:
    def build() -> list[Case]:
        review, outcome = _review_with_outcome(final=final)
        return [
            Case(
                "outcome document action (generating, finalising, reopening: MANAGING_ROLES)",
                {"slug": review.slug},
                {"owner": to(owner_to, slug=review.slug), **REFUSED, **MANAGERS_ONLY},
                owner=team_member(review, ReviewMembership.Role.SECRETARIAT),
                people=managers(review),
                method="POST",
                allowed=("owner",),
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
    consultation, summary = _summary()
    elsewhere = ConsultationFactory()
    review = consultation.review
    rapporteur = team_member(review, ReviewMembership.Role.RAPPORTEUR)
    not_staff = member_not_staff(review)
    text = "Introduction changed by the access test."
    page = Case(
        "consultation summary",
        {"slug": review.slug, "consultation_slug": consultation.slug},
        {**STAFF, **NOT_STAFF},
        owner=rapporteur,
        people={"member_not_staff": not_staff},
    )
    wrong_slug = Case(
        "another review's consultation under this review",
        {"slug": review.slug, "consultation_slug": elsewhere.slug},
        {"owner": 404, "other": 403, "other_staff": 403, "anonymous": LOGIN},
        owner=rapporteur,
    )
    assert summary.status == ConsultationSummary.Status.DRAFT

    def published(_user):
        changed = refresh(summary)
        assert changed.status == ConsultationSummary.Status.PUBLISHED
        assert text in changed.introduction_en

    return [
        page,
        wrong_slug,
        posting(wrong_slug, "saving", wrong_slug.expect, {"introduction_en": text, "status": "draft"}),
        # Publishing is for MANAGING_ROLES: the rapporteur who may open the page may not publish from it.
        posting(
            page,
            "publishing (MANAGING_ROLES)",
            {
                **REFUSED,
                **MANAGERS_ONLY,
                "owner": to("reports:review_documents", slug=review.slug),
            },
            {"introduction_en": f"<p>{text}</p>", "status": ConsultationSummary.Status.PUBLISHED},
            owner=team_member(review, ReviewMembership.Role.ORGANIZER),
            people={"rapporteur": rapporteur, "member_not_staff": not_staff},
            allowed=("owner",),
            effect=published,
        ),
    ]


def build_generate_summary() -> list[Case]:
    consultation, summary = _summary()
    review = consultation.review
    return [
        Case(
            "render a summary (generating documents: MANAGING_ROLES)",
            {"slug": review.slug, "consultation_slug": consultation.slug},
            {"owner": to("reports:review_documents", slug=review.slug), **REFUSED, **MANAGERS_ONLY},
            owner=team_member(review, ReviewMembership.Role.SECRETARIAT),
            people=managers(review),
            method="POST",
            allowed=("owner",),
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
            {"owner": 200, "other": 404, "other_staff": 404, "anonymous": 404, "member_not_staff": 404},
            owner=team_member(draft_review, ReviewMembership.Role.RAPPORTEUR),
            people={"member_not_staff": member_not_staff(draft_review)},
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

KEY_HOLDER = "the key is the credential: whoever holds the link may use it"


def build_confirm_email() -> list[Case]:
    user = UserFactory()
    address = EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    key = EmailConfirmationHMAC(address).key
    valid = Case("valid key", {"key": key}, same(200), owner=user)
    forged = Case(
        "forged key: the 'invalid link' page, no address shown",
        {"key": "bm90LWEta2V5:1tAbCd:forged"},
        same(200),
        owner=user,
        secret=user.email,
    )

    def confirmed(_user):
        assert EmailAddress.objects.get(pk=address.pk).verified

    return [
        valid,
        forged,
        posting(forged, "confirming", same(404)),
        posting(
            valid,
            "confirming",
            {"anonymous": 302},
            allowed=("anonymous",),
            effect=confirmed,
            excused=dict.fromkeys(("owner", "other", "other_staff"), KEY_HOLDER),
        ),
    ]


def build_reset_password() -> list[Case]:
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    uidb36 = user_pk_to_url_str(user)
    key = default_token_generator.make_token(user)
    path = url_for("account_reset_password_from_key", {"uidb36": uidb36, "key": "set-password"})
    last_login = "logging in as the owner changes last_login, which the token is made from"
    new_password = {"password1": "Another-horse-battery-77", "password2": "Another-horse-battery-77"}
    valid = Case(
        "valid key",
        {"uidb36": uidb36, "key": key},
        # The key moves into the session and the browser is sent to the same page without it in the URL.
        dict.fromkeys(("other", "other_staff", "anonymous"), ("to", path)),
        excused={"owner": last_login},
    )
    forged = Case("forged key", {"uidb36": uidb36, "key": "forged-0123"}, same(200), owner=user)
    # The valid key's cases come first: the forged key's owner logs in, which makes the token stale.
    return [
        valid,
        # A POST to the keyed URL only moves the key into the session, like the GET; the password is set
        # from the key-less page, which without a key in the session is the 'invalid link' page.
        posting(valid, "setting a password", valid.expect, new_password),
        forged,
        posting(forged, "setting a password", same(200), new_password),
        Case(
            "no key in the session",
            {"uidb36": uidb36, "key": "set-password"},
            same(200),
            owner=user,
            method="POST",
            post_only=False,
            post_data=new_password,
        ),
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
    "consultations:balance": build_balance,
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


def role_problems(case: Case) -> list[str]:
    """What is wrong with a case's roles: one of ROLES neither expected nor excused (with a reason), a role
    both expected and excused, a person of the case without an expectation, an unknown or misplaced role."""
    problems = []
    for role in ROLES:
        reason = case.excused.get(role)
        if role in case.expect and reason is not None:
            problems.append(f"{role!r} is both expected and excused")
        elif role not in case.expect and not (isinstance(reason, str) and reason.strip()):
            problems.append(f"{role!r} is neither in `expect` nor excused with a reason")
    problems += [
        f"{role!r} in `people` has no expectation" for role in case.people if role not in case.expect
    ]
    problems += [
        f"{role!r} is expected but is no role"
        for role in case.expect
        if role not in ROLES + tuple(case.people)
    ]
    problems += [f"unknown excused role {role!r}" for role in case.excused if role not in ROLES]
    problems += [
        f"allowed role {role!r} has no expectation" for role in case.allowed if role not in case.expect
    ]
    if case.method != "POST" and (case.allowed or case.effect):
        problems.append("only a POST case has allowed roles")
    if case.method == "POST" and "owner" in case.expect and case.owner is None:
        problems.append("a POST 'owner' without an owner would only repeat the anonymous request")
    return problems


def test_a_role_left_out_fails_unless_excused():
    full = Case("x", {}, same(200))
    assert role_problems(full) == []
    left_out = Case("x", {}, {"other": 200, "other_staff": 200, "anonymous": 200})
    assert role_problems(left_out) == ["'owner' is neither in `expect` nor excused with a reason"]
    assert role_problems(dataclasses.replace(left_out, excused={"owner": "nobody owns it"})) == []
    assert role_problems(dataclasses.replace(left_out, excused={"owner": " "})) != []
    assert role_problems(dataclasses.replace(full, people={"rapporteur": object()})) != []
    assert role_problems(dataclasses.replace(full, expect={**full.expect, "rapporteur": 403})) != []


@pytest.fixture
def people(db):
    """The roles that are the same for every row: another person (completed profile, own organization), a
    staff member on another review's team, and nobody."""
    return {
        "other": participant_with_organization(),
        "other_staff": team_member(RegionalReviewFactory()),
        "anonymous": None,
    }


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


def _check_secret(case: Case, role: str, response, where: str) -> None:
    if case.secret and role not in case.secret_for:
        assert case.secret not in _body(response), f"{where}: shows what it must not"
    elif case.secret and response.status_code == 200:
        assert case.secret in _body(response), f"{where}: should show it"


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


def _order(case: Case) -> list[str]:
    """Refused roles first, in a fixed order; the allowed ones, whose POST may change things, last."""
    known = ("other", "other_staff", "anonymous", "owner", *case.people)
    roles = [role for role in known if role in case.expect]
    return [role for role in roles if role not in case.allowed] + [r for r in roles if r in case.allowed]


def _log_in(client, user) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)


@pytest.mark.parametrize("name", sorted(ACCESS_TABLE))
def test_access(name, client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Throttles count requests per client address; this test sends many from one.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "10000/hour"}}
    cases = ACCESS_TABLE[name]()
    read_only = not any(case.method == "POST" for case in cases)
    for case in cases:
        problems = role_problems(case)
        assert problems == [], f"{name} [{case.label}]: {problems}"
        users = {**people, "owner": case.owner, **case.people}
        for url in _urls(name, case):
            if case.method == "POST" and case.post_only:
                client.force_login(case.owner or people["other"])
                assert client.get(url).status_code == 405, f"{name} [{case.label}] GET"
            for role in _order(case):
                where = f"{name} [{case.label}] {case.method} {url} as {role}"
                _log_in(client, users[role])
                if case.method == "GET":
                    response = client.get(url)
                    _check(response, case.expect[role], where=where)
                    _check_secret(case, role, response, where)
                    if read_only:
                        # No POST case in the row: a POST is refused as a method or answered like the GET.
                        where = f"{name} [{case.label}] POST to a read-only page {url} as {role}"
                        before = project_state()
                        response = client.post(url, {})
                        if response.status_code != 405:
                            _check(response, case.expect[role], where=where)
                            _check_secret(case, role, response, where)
                        assert_unchanged(before, where)
                    continue
                before = project_state()
                snapshot = case.state() if case.state else None
                response = client.post(url, case.post_data)
                _check(response, case.expect[role], where=where)
                _check_secret(case, role, response, where)
                if role in case.allowed:
                    if case.effect:
                        case.effect(users[role])
                else:
                    assert_unchanged(before, where)
                    if case.state:
                        assert case.state() == snapshot, f"{where}: a refused POST changed the object"
            if case.allowed:
                # Only one allowed POST per case: the next URL variant would find the object changed.
                break


def test_a_refused_post_changes_nothing_but_the_owners_does(client, db):
    """The state snapshots above are not vacuous: the owner's POST does change the object, and the project
    snapshot sees it."""
    (case,) = build_cancel()
    before = project_state()
    client.force_login(case.owner)
    client.post(url_for("consultations:cancel", case.kwargs))
    assert case.state() == Registration.Status.CANCELLED
    after = project_state()
    assert before["consultations.Registration"] != after["consultations.Registration"]
    assert after["audit entries"] > before["audit entries"]


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
