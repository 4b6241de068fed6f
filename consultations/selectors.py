"""Reads about consultations and registrations that need care: prefetching for lists, counts that must agree
with the seat rule, the organizer's breakdowns."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.models import Objective, Region, StakeholderGroup
from stakeholders.models import StakeholderProfile

from . import balance
from .models import (
    AgendaItem,
    BackgroundDocument,
    Consultation,
    GuidingQuestion,
    Registration,
    TimeZonePreference,
)

# Statuses that hold a seat: the capacity rule (and the database trigger) count exactly these.
SEAT_STATUSES = (Registration.Status.CONFIRMED, Registration.Status.ATTENDED)
# Statuses of a registration that is still alive (the person cannot register again while in one).
ACTIVE_STATUSES = (Registration.Status.PENDING, Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
PARTICIPANT_STATUS_ORDER = {
    Registration.Status.CONFIRMED: 0,
    Registration.Status.ATTENDED: 0,
    Registration.Status.PENDING: 1,
    Registration.Status.WAITLISTED: 2,
    Registration.Status.CANCELLED: 3,
    Registration.Status.DECLINED: 4,
}


# Every status but draft: a consultation marked published while still in draft is not public yet.
PUBLIC_STATUSES = tuple(
    status for status in Consultation.Status.values if status != Consultation.Status.DRAFT
)


def shown_consultation_q(*, prefix: str = "") -> Q:
    """The consultation's own half of public_consultation_q: published and past the draft stage. For counts
    inside one review whose own page already decides whether the review is shown (the coverage matrix, which
    its team previews before the review is published)."""
    return Q(**{f"{prefix}is_published": True, f"{prefix}status__in": PUBLIC_STATUSES})


def public_consultation_q(*, prefix: str = "") -> Q:
    """THE rule for what the public may see of a consultation (pages, register, documents, API): published,
    past the draft stage, in a published review. `prefix` ("consultations__", …) applies it to a related
    consultation. Positive lookups only, so that through a multi-valued relation every condition holds for
    the same consultation (an `exclude(status=draft)` would drop every row with any draft consultation)."""
    return shown_consultation_q(prefix=prefix) & Q(**{f"{prefix}review__is_published": True})


def is_public(*, consultation_id: int) -> bool:
    """Whether the public may see this consultation (public_consultation_q, for one row)."""
    return Consultation.objects.filter(public_consultation_q(), pk=consultation_id).exists()


def open_for_registration_q(*, now: datetime) -> Q:
    """Consultations a person can register for right now (the list filter and the services agree on it)."""
    return (
        public_consultation_q()
        & Q(status=Consultation.Status.OPEN, starts_at__gt=now, capacity__gt=0)
        & (Q(registration_opens_at__isnull=True) | Q(registration_opens_at__lte=now))
        & (Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now))
    )


def registration_problem(*, consultation: Consultation, now: datetime) -> str | None:
    """Why nobody can register for `consultation` right now (a sentence for people), or None if they can."""
    if (
        not consultation.is_published
        or not consultation.review.is_published
        or consultation.status != Consultation.Status.OPEN
    ):
        return gettext("Registration for this consultation is not open.")
    if consultation.starts_at <= now:
        return gettext("This consultation has already taken place.")
    if consultation.capacity == 0:
        return gettext("This consultation has no seats for registration.")
    zone = ZoneInfo(consultation.time_zone)
    if consultation.registration_opens_at and consultation.registration_opens_at > now:
        return gettext("Registration opens on %(date)s (%(zone)s).") % {
            "date": formats.date_format(
                consultation.registration_opens_at.astimezone(zone), "DATETIME_FORMAT"
            ),
            "zone": consultation.time_zone,
        }
    if consultation.registration_closes_at and consultation.registration_closes_at <= now:
        return gettext("Registration closed on %(date)s (%(zone)s).") % {
            "date": formats.date_format(
                consultation.registration_closes_at.astimezone(zone), "DATETIME_FORMAT"
            ),
            "zone": consultation.time_zone,
        }
    return None


def public_consultations() -> QuerySet[Consultation]:
    """Public consultations (public_consultation_q), with what the list shows, in a constant number of
    queries."""
    return (
        Consultation.objects.filter(public_consultation_q())
        .select_related("review", "thematic_area", "lead_organization")
        .prefetch_related(
            Prefetch("objectives", queryset=Objective.objects.order_by("number")), "co_lead_organizations"
        )
        .annotate(seats_taken=_seats_taken_subquery())
        .order_by("starts_at", "id")
    )


def _seats_taken_subquery() -> Coalesce:
    """Seats taken, as a correlated subquery rather than a JOIN + GROUP BY: PostgreSQL then counts only the
    rows the page shows (after ORDER BY … LIMIT), through the (consultation, status) index, instead of
    aggregating every registration of every consultation first (8x slower at 100,000 registrations)."""
    taken = (
        Registration.objects.filter(consultation=OuterRef("pk"), status__in=SEAT_STATUSES)
        .order_by()
        .values("consultation")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), 0)


def get_public_consultation(*, slug: str) -> Consultation:
    """One public consultation (public_consultation_q) with its agenda, questions, documents and organizers.

    Raises Consultation.DoesNotExist for unknown slugs and for consultations the public may not see.
    """
    return (
        public_consultations()
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order", "starts_at", "id")),
            Prefetch(
                "guiding_questions",
                queryset=GuidingQuestion.objects.prefetch_related(
                    Prefetch("objectives", queryset=Objective.objects.order_by("number"))
                ),
            ),
            "documents",
        )
        .get(slug=slug)
    )


def get_consultation(*, slug: str) -> Consultation:
    """Any consultation (drafts included) for its organizers. Raises Consultation.DoesNotExist."""
    return (
        Consultation.objects.select_related("review__region", "thematic_area", "lead_organization")
        .annotate(seats_taken=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES)))
        .get(slug=slug)
    )


def seats_taken(*, consultation_id: int) -> int:
    return Registration.objects.filter(consultation_id=consultation_id, status__in=SEAT_STATUSES).count()


def seats_left(consultation: Consultation) -> int:
    """Free seats; uses the `seats_taken` annotation of the selectors above when present."""
    taken = getattr(consultation, "seats_taken", None)
    if taken is None:
        taken = seats_taken(consultation_id=consultation.pk)
    return max(consultation.capacity - taken, 0)


def waitlist(*, consultation_id: int) -> QuerySet[Registration]:
    """The waiting list in the order people joined it."""
    return Registration.objects.filter(
        consultation_id=consultation_id, status=Registration.Status.WAITLISTED
    ).order_by("waitlisted_at", "id")


def waitlist_position(registration: Registration) -> int | None:
    """1 for the head of the waiting list; None when the registration is not waitlisted."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = (
        waitlist(consultation_id=registration.consultation_id)
        .filter(
            Q(waitlisted_at__lt=registration.waitlisted_at)
            | Q(waitlisted_at=registration.waitlisted_at, id__lt=registration.id)
        )
        .count()
    )
    return ahead + 1


def registration_for(*, user, consultation: Consultation) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(consultation=consultation, user=user).first()


def registrations_for_user(*, user) -> list[Registration]:
    """The person's registrations, newest consultation first, each with `waitlist_position` set."""
    registrations = list(
        Registration.objects.filter(user=user)
        .select_related("consultation__review", "consultation__thematic_area")
        .order_by("-consultation__starts_at", "-id")
    )
    waiting = [r for r in registrations if r.status == Registration.Status.WAITLISTED]
    positions = _waitlist_positions(waiting)
    for registration in registrations:
        registration.waitlist_position = positions.get(registration.pk)
    return registrations


def _waitlist_positions(registrations: list[Registration]) -> dict[int, int]:
    """{registration id: place on its waiting list}, in one query that counts, per registration, the people
    ahead of it (as waitlist_position does) instead of reading every waiting list whole."""
    if not registrations:
        return {}
    ahead = (
        waitlist(consultation_id=OuterRef("consultation_id"))
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), id__lt=OuterRef("id"))
        )
        .order_by()
        .values("consultation_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = (
        Registration.objects.filter(pk__in=[r.pk for r in registrations])
        .annotate(ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), 0))
        .values_list("pk", "ahead")
    )
    return {pk: count + 1 for pk, count in rows}


def get_user_registration(*, user, registration_id: int) -> Registration:
    """The user's own registration; anyone else's raises Registration.DoesNotExist (a 404, not a 403, so
    nobody learns which registrations exist)."""
    return Registration.objects.select_related("consultation__review").get(pk=registration_id, user=user)


def participants(*, consultation_id: int) -> list[Registration]:
    """Every registration of a consultation with the profile fields the organizer sees, in a constant number of
    queries, confirmed first, then pending, waitlisted (in list order), cancelled and declined."""
    rows = _in_participant_order(
        Registration.objects.filter(consultation_id=consultation_id).select_related(
            "user__profile__stakeholder_group", "user__profile__organization"
        )
    )
    _describe(rows, positions={r.pk: r.waitlist_position for r in rows})
    return rows


def _in_participant_order(queryset: QuerySet[Registration]) -> list[Registration]:
    """The rows in the organizer's order, each with `waitlist_position` (None unless waitlisted)."""
    rows = list(queryset.order_by("waitlisted_at", "created_at", "id"))
    rows.sort(key=lambda r: PARTICIPANT_STATUS_ORDER[r.status])
    position = 0
    for registration in rows:
        if registration.status == Registration.Status.WAITLISTED:
            position += 1
            registration.waitlist_position = position
        else:
            registration.waitlist_position = None
    return rows


def _describe(
    rows: list[Registration],
    *,
    positions: dict[int, int | None],
    labels: dict[str, dict[str, str]] | None = None,
) -> None:
    """Sets the readable labels, the waiting-list place and the profile (None once the account is gone)."""
    labels = labels or category_labels()
    for registration in rows:
        registration.region_label = labels["region"].get(registration.region_key, registration.region_key)
        registration.gender_label = labels["gender"].get(registration.gender, registration.gender)
        registration.group_label = labels["stakeholder_group"].get(
            registration.stakeholder_group_key, registration.stakeholder_group_key
        )
        registration.waitlist_position = positions.get(registration.pk)
        registration.profile = getattr(registration.user, "profile", None) if registration.user_id else None


@dataclass
class ParticipantsOverview:
    """The organizer page's data: one page of participants to list, and everyone, for the aggregates."""

    page: Page
    confirmed: list[Registration]
    waitlisted: list[Registration]
    labels: dict[str, dict[str, str]]  # category_labels(), for balance_tables


def participants_overview(*, consultation_id: int, page_number, per_page: int) -> ParticipantsOverview:
    """One page of `participants` (same order, same attributes) plus the confirmed and waitlisted people of the
    whole consultation for the balance tables, in a constant number of queries.

    Everyone is read once without profiles (only the columns the order and the balance need); the profiles and
    organizations are then read for the page's rows only, so the cost of a long list stays with the page.
    """
    everyone = _in_participant_order(
        Registration.objects.filter(consultation_id=consultation_id).only(
            "id", "status", "region_key", "gender", "stakeholder_group_key", "waitlisted_at", "created_at"
        )
    )
    page = Paginator(everyone, per_page).get_page(page_number)
    positions = {r.pk: r.waitlist_position for r in page.object_list}
    full = Registration.objects.filter(pk__in=positions).select_related(
        "user__profile__stakeholder_group", "user__profile__organization"
    )
    rows = {r.pk: r for r in full}
    page.object_list = [rows[pk] for pk in positions if pk in rows]
    labels = category_labels()
    _describe(page.object_list, positions=positions, labels=labels)
    return ParticipantsOverview(
        page=page,
        confirmed=[r for r in everyone if r.status in SEAT_STATUSES],
        waitlisted=[r for r in everyone if r.status == Registration.Status.WAITLISTED],
        labels=labels,
    )


def time_zone_for(user) -> str | None:
    if not user.is_authenticated:
        return None
    return TimeZonePreference.objects.filter(user=user).values_list("time_zone", flat=True).first()


# --- The organizer's balance view --------------------------------------------------------------------------

DIMENSION_LABELS = {
    "region": _("Region"),
    "gender": _("Gender"),
    "stakeholder_group": _("Stakeholder group"),
}


@dataclass
class CategoryRow:
    key: str
    label: str
    confirmed: int = 0
    waitlisted: int = 0
    proposed: int = 0
    confirmed_share: float = 0.0
    proposed_share: float = 0.0
    target: float | None = None


@dataclass
class DimensionTable:
    key: str
    label: str
    rows: list[CategoryRow] = field(default_factory=list)
    confirmed_total: int = 0
    waitlisted_total: int = 0


def category_labels() -> dict[str, dict[str, str]]:
    """Readable names for the snapshot keys, in the current language."""
    return {
        "region": {r.key: r.name for r in Region.objects.only("key", "name")},
        "gender": {value: str(label) for value, label in StakeholderProfile.Gender.choices},
        "stakeholder_group": {g.key: g.name for g in StakeholderGroup.objects.only("key", "name")},
    }


def balance_tables(
    *,
    consultation: Consultation,
    confirmed: list[Registration],
    waitlisted: list[Registration],
    proposed: list[Registration] | None = None,
    labels: dict[str, dict[str, str]] | None = None,
) -> list[DimensionTable]:
    """One table per dimension: confirmed and waitlisted counts per category, the confirmed share now and
    (when a proposal is given) after promoting it, and the target share. `labels`: category_labels() when
    the caller has them already."""
    labels = labels or category_labels()
    proposed = proposed or []
    targets = balance.resolved_targets(consultation.balance_targets or {}, [*confirmed, *waitlisted])
    tables = []
    for dimension in balance.DIMENSIONS:
        now = balance.distribution(confirmed, dimension)
        queued = balance.distribution(waitlisted, dimension)
        after = balance.distribution([*confirmed, *proposed], dimension)
        extra = balance.distribution(proposed, dimension)
        given = (consultation.balance_targets or {}).get(dimension) or {}
        keys = sorted(
            set(now.counts) | set(queued.counts) | set(given),
            key=lambda k: (labels[dimension].get(k, k) or "").lower(),
        )
        rows = []
        for key in keys:
            rows.append(
                CategoryRow(
                    key=key,
                    label=labels[dimension].get(key, key),
                    confirmed=now.counts.get(key, 0),
                    waitlisted=queued.counts.get(key, 0),
                    proposed=extra.counts.get(key, 0),
                    confirmed_share=now.share(key),
                    proposed_share=after.share(key),
                    target=targets[dimension].get(key),
                )
            )
        unknown_confirmed = now.total - sum(now.counts.values())
        unknown_waitlisted = queued.total - sum(queued.counts.values())
        if unknown_confirmed or unknown_waitlisted:
            rows.append(
                CategoryRow(
                    key="",
                    label=str(_("Not stated")),
                    confirmed=unknown_confirmed,
                    waitlisted=unknown_waitlisted,
                    proposed=extra.total - sum(extra.counts.values()),
                    confirmed_share=unknown_confirmed / now.total if now.total else 0.0,
                    proposed_share=(after.total - sum(after.counts.values())) / after.total
                    if after.total
                    else 0.0,
                )
            )
        tables.append(
            DimensionTable(
                key=dimension,
                label=str(DIMENSION_LABELS[dimension]),
                rows=rows,
                confirmed_total=now.total,
                waitlisted_total=queued.total,
            )
        )
    return tables


def interpretation_needs(*, consultation_id: int) -> list[tuple[str, int]]:
    """(language code, confirmed participants needing it), for every language somebody needs."""
    rows = (
        Registration.objects.filter(consultation_id=consultation_id, status__in=SEAT_STATUSES)
        .exclude(interpretation_language="")
        .values_list("interpretation_language")
        .annotate(n=Count("id"))
        .order_by("interpretation_language")
    )
    return list(rows)


def reminders_due(*, now: datetime, within_hours: int = 24) -> QuerySet[Registration]:
    """Confirmed registrations whose consultation starts in the next `within_hours` and that have had no
    reminder yet."""
    return Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        user__isnull=False,
        reminder_sent_at__isnull=True,
        consultation__starts_at__gt=now,
        consultation__starts_at__lte=now + timedelta(hours=within_hours),
    ).select_related("user__profile")


def public_consultation_id(*, slug: str) -> int:
    """The id of a public consultation (public_consultation_q), for registering. Raises
    Consultation.DoesNotExist."""
    return Consultation.objects.filter(public_consultation_q()).values_list("pk", flat=True).get(slug=slug)


def get_document(*, slug: str, document_id: int) -> BackgroundDocument:
    """A background document of the consultation `slug` (public or not: the caller decides who may have it).
    Raises BackgroundDocument.DoesNotExist, also when the document belongs to another consultation."""
    return BackgroundDocument.objects.select_related("consultation__review").get(
        pk=document_id, consultation__slug=slug
    )


def get_registration(*, consultation_id: int, registration_id: int) -> Registration:
    """A registration of that consultation (for its organizers). Raises Registration.DoesNotExist."""
    return Registration.objects.get(pk=registration_id, consultation_id=consultation_id)


def export_person(*, user) -> dict:
    """The person's registrations and time zone preference, for "Download my data"."""
    rows = Registration.objects.filter(user=user).select_related("consultation").order_by("created_at", "id")
    registrations = [
        {
            "consultation": row.consultation.title,
            "consultation_slug": row.consultation.slug,
            "status": row.status,
            "interpretation_language": row.interpretation_language,
            "region": row.region_key,
            "gender": row.gender,
            "stakeholder_group": row.stakeholder_group_key,
            "registered_at": row.created_at,
            "confirmed_at": row.confirmed_at,
            "waitlisted_at": row.waitlisted_at,
            "cancelled_at": row.cancelled_at,
        }
        for row in rows
    ]
    return {"registrations": registrations, "time_zone": time_zone_for(user)}


def consultations_by_objective(review) -> dict[int, int]:
    """{objective number: public consultations of `review` focusing on it}, in one query (coverage matrix)."""
    rows = (
        Objective.objects.filter(shown_consultation_q(prefix="consultations__"), consultations__review=review)
        .values_list("number")
        .annotate(n=Count("consultations", distinct=True))
    )
    return dict(rows)
