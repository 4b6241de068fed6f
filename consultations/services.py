"""The rules of consultations and registrations. Every function is keyword-only, runs in one transaction,
writes an audit entry for each state change, and queues the e-mails it owes (after commit)."""

import logging
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from gcm_portal.audit import record_audit
from gcm_portal.richtext import sanitize_rich_text
from gcm_portal.tasks import enqueue, enqueue_on_commit
from reviews.models import ReviewEvent
from stakeholders.selectors import get_profile, has_complete_profile, region_for_country

from . import selectors, tasks
from .models import (
    AgendaItem,
    BackgroundDocument,
    Consultation,
    GuidingQuestion,
    Registration,
    RegistrationNotice,
    TimeZonePreference,
)

logger = logging.getLogger(__name__)

Status = Registration.Status
Notice = RegistrationNotice.Kind

# Which registration states may follow which. Each service also names the states it starts from; this table
# is the outer bound no service may cross.
REGISTRATION_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.PENDING: frozenset({Status.CONFIRMED, Status.WAITLISTED, Status.CANCELLED, Status.DECLINED}),
    Status.CONFIRMED: frozenset({Status.CANCELLED, Status.DECLINED, Status.ATTENDED}),
    Status.WAITLISTED: frozenset({Status.CONFIRMED, Status.CANCELLED, Status.DECLINED}),
    # A person who cancelled may register again while registration is open.
    Status.CANCELLED: frozenset({Status.PENDING, Status.CONFIRMED, Status.WAITLISTED}),
    Status.DECLINED: frozenset(),
    Status.ATTENDED: frozenset(),
}

INITIAL_STATUSES = frozenset({Status.PENDING, Status.CONFIRMED, Status.WAITLISTED})

CONSULTATION_TRANSITIONS: dict[str, frozenset[str]] = {
    Consultation.Status.DRAFT: frozenset({Consultation.Status.OPEN}),
    Consultation.Status.OPEN: frozenset({Consultation.Status.CLOSED, Consultation.Status.DRAFT}),
    Consultation.Status.CLOSED: frozenset({Consultation.Status.OPEN, Consultation.Status.HELD}),
    Consultation.Status.HELD: frozenset({Consultation.Status.REPORTED}),
    Consultation.Status.REPORTED: frozenset(),
}

# Sanitised on save with gcm_portal.richtext (and again on display, by the rich_text template filter).
RICH_TEXT_FIELDS = ("summary", "concept_note")

# The parts staff edit with a consultation in the admin, and the name each has in the audit log.
CONSULTATION_PARTS: dict[type[models.Model], str] = {
    AgendaItem: "agenda_item",
    GuidingQuestion: "guiding_question",
    BackgroundDocument: "document",
}

# TEST ONLY. Widens the window between counting seats and saving in the race test's control run, so that it
# shows the race the lock prevents even on a fast machine. Never slept through unless
# REGISTRATION_LOCK_DISABLED is on (see _race_control_enabled).
_UNLOCKED_RACE_WINDOW_SECONDS = 0.02


class RegistrationError(Exception):
    """A request that cannot be honoured; `message` is shown to the person as it is (already translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ProfileRequired(RegistrationError):
    pass


class IllegalTransition(RegistrationError):
    pass


class CapacityBelowSeats(RegistrationError):
    """Staff asked for fewer seats than are confirmed already: nobody is unseated behind their back."""


class NoSeatFree(RegistrationError):
    pass


# --- Consultations -----------------------------------------------------------------------------------------


def _is_known_time_zone(name: str) -> bool:
    return name in available_timezones()


def _capacity_problem(*, capacity: int, seats_taken: int) -> str | None:
    if capacity >= seats_taken:
        return None
    return ngettext(
        "%(count)d seat is already confirmed: the capacity cannot be lower. "
        "Cancel or decline registrations first.",
        "%(count)d seats are already confirmed: the capacity cannot be lower. "
        "Cancel or decline registrations first.",
        seats_taken,
    ) % {"count": seats_taken}


def check_capacity(*, consultation_id: int | None, capacity: int) -> None:
    """Refuse a capacity below the seats already confirmed (for the admin form, which shows the message next
    to the field). Locks the consultation row until the caller's transaction ends, so that in the admin, whose
    request runs in one transaction, no registration can take a seat between this check and the save.

    Raises CapacityBelowSeats. Side effects: none beyond the row lock.
    """
    if consultation_id is None:
        return
    with transaction.atomic():
        Consultation.objects.select_for_update().filter(pk=consultation_id).first()
        problem = _capacity_problem(
            capacity=capacity, seats_taken=selectors.seats_taken(consultation_id=consultation_id)
        )
    if problem:
        raise CapacityBelowSeats(problem)


def save_consultation(*, consultation: Consultation, actor) -> Consultation:
    """Save a consultation typed in by staff: sanitise its rich text in every language, keep its timeline
    entry in step, and when its capacity rose give the new seats to the waiting list, in waiting-list order.
    The stored row is locked first, so the seat count and the capacity check hold until commit. Call
    `sync_timeline_event` again after its focus objectives change.

    Raises CapacityBelowSeats when the capacity is below the seats already confirmed.
    Side effects: saves the consultation, creates/updates/deletes its ReviewEvent, confirms waitlisted
    registrations (audited as registration.promote by `actor`, "promoted" e-mails queued after commit),
    writes audit entries.
    """
    created = consultation.pk is None
    for name in RICH_TEXT_FIELDS:
        for code, _name in settings.LANGUAGES:
            attribute = f"{name}_{code}"
            setattr(consultation, attribute, sanitize_rich_text(getattr(consultation, attribute)))
    with transaction.atomic():
        stored = None if created else Consultation.objects.select_for_update().get(pk=consultation.pk)
        before = {} if stored is None else _consultation_state(stored)
        if stored is not None:
            problem = _capacity_problem(
                capacity=consultation.capacity,
                seats_taken=selectors.seats_taken(consultation_id=consultation.pk),
            )
            if problem:
                raise CapacityBelowSeats(problem)
        consultation.save()
        sync_timeline_event(consultation=consultation, actor=actor)
        record_audit(
            actor=actor,
            action="consultation.create" if created else "consultation.update",
            obj=consultation,
            before=before,
            after=_consultation_state(consultation),
        )
        if stored is not None and consultation.capacity > stored.capacity:
            _fill_from_waitlist(consultation, actor=actor, now=timezone.now())
    return consultation


def _consultation_state(consultation: Consultation) -> dict:
    return {
        "status": consultation.status,
        "is_published": consultation.is_published,
        "starts_at": consultation.starts_at,
        "ends_at": consultation.ends_at,
        "capacity": consultation.capacity,
        "requires_approval": consultation.requires_approval,
    }


def delete_consultation(*, consultation_id: int, actor) -> None:
    """Staff delete a consultation (with its agenda, questions, documents and key messages). A consultation
    anyone registered for cannot be deleted (Registration.consultation is PROTECT): the registrations are the
    record of who took part.

    Raises django.db.models.ProtectedError when it has registrations.
    Side effects: deletes the consultation and the rows that cascade from it, deletes its ReviewEvent (the
    timeline must not keep an entry for an event that is gone), writes an audit entry.
    """
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
        event = consultation.timeline_event
        record_audit(
            actor=actor,
            action="consultation.delete",
            obj=consultation,
            before={**_consultation_state(consultation), "slug": consultation.slug},
        )
        consultation.delete()
        if event is not None:
            event.delete()


def save_consultation_parts(
    *,
    consultation: Consultation,
    actor,
    saved: Iterable[models.Model],
    deleted: Iterable[models.Model] = (),
    changed_fields: Mapping[int, Iterable[str]] | None = None,
) -> None:
    """Save the agenda items, guiding questions and background documents staff added or changed with a
    consultation, and delete those they removed. `changed_fields`: {pk: names of the fields changed} for the
    existing rows in `saved` (the audit records field names only). Many-to-many fields are the caller's (the
    admin saves them after this, from its forms).

    Raises ValueError for a part of another consultation or of an unknown kind.
    Side effects: saves and deletes rows, writes one audit entry per row naming `actor`.
    """
    changed_fields = changed_fields or {}
    with transaction.atomic():
        for part in deleted:
            kind = _part_kind(part, consultation)
            record_audit(
                actor=actor,
                action=f"consultation.{kind}.delete",
                obj=part,
                before={"consultation": consultation.pk, "label": str(part)},
            )
            part.delete()
        for part in saved:
            kind = _part_kind(part, consultation)
            created = part._state.adding
            part.save()
            record_audit(
                actor=actor,
                action=f"consultation.{kind}.{'create' if created else 'update'}",
                obj=part,
                after={
                    "consultation": consultation.pk,
                    "changed_fields": sorted(changed_fields.get(part.pk, ())) if not created else [],
                },
            )


def _part_kind(part: models.Model, consultation: Consultation) -> str:
    kind = CONSULTATION_PARTS.get(type(part))
    if kind is None:
        raise ValueError(f"{type(part).__name__} is not a part of a consultation.")
    if part.consultation_id != consultation.pk:
        raise ValueError(f"This {kind} belongs to another consultation.")
    return kind


def _timeline_state(event: ReviewEvent | None) -> dict:
    if event is None or event.pk is None:
        return {}
    return {
        "event": event.pk,
        "date_start": event.date_start,
        **{f"title_{code}": getattr(event, f"title_{code}") for code, _name in settings.LANGUAGES},
        "objectives": sorted(event.objectives.values_list("number", flat=True)),
    }


def sync_timeline_event(*, consultation: Consultation, actor=None) -> ReviewEvent | None:
    """Keep the consultation's entry in its review's timeline in step: a published consultation has one
    (stakeholder consultation, exact day in the event's time zone, same titles and objectives); an
    unpublished one has none. `actor`: the staff member whose change this follows (None: the system, e.g.
    the demo loader).

    Side effects: creates, updates or deletes a ReviewEvent; saves consultation.timeline_event; writes a
    "consultation.timeline_sync" audit entry when the timeline entry changed.
    """
    with transaction.atomic():
        event = consultation.timeline_event
        before = _timeline_state(event)
        if not consultation.is_published:
            if event is not None:
                consultation.timeline_event = None
                Consultation.objects.filter(pk=consultation.pk).update(timeline_event=None)
                event.delete()
            event = None
        else:
            event = event or ReviewEvent(review=consultation.review)
            event.review = consultation.review
            event.kind = ReviewEvent.Kind.STAKEHOLDER_CONSULTATION
            event.phase = ReviewEvent.Phase.PREPARATORY
            event.date_precision = ReviewEvent.Precision.DAY
            event.date_start = consultation.starts_at.astimezone(ZoneInfo(consultation.time_zone)).date()
            event.date_end = None
            event.is_closed = False
            for code, _name in settings.LANGUAGES:
                setattr(event, f"title_{code}", getattr(consultation, f"title_{code}"))
            event.translation_status = dict(consultation.translation_status or {})
            event.save()
            event.objectives.set(consultation.objectives.all())
            if consultation.timeline_event_id != event.pk:
                consultation.timeline_event = event
                Consultation.objects.filter(pk=consultation.pk).update(timeline_event=event)
        after = _timeline_state(event)
        if after != before:
            record_audit(
                actor=actor, action="consultation.timeline_sync", obj=consultation, before=before, after=after
            )
        return event


def change_consultation_status(*, consultation_id: int, status: str, actor) -> Consultation:
    """Move a consultation along draft → open → closed → held → reported (open and closed may go back one
    step). Raises IllegalTransition otherwise.

    Side effects: saves the status, writes an audit entry.
    """
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation_id)
        if status not in CONSULTATION_TRANSITIONS[consultation.status]:
            raise IllegalTransition(
                _("A consultation cannot go from “%(old)s” to “%(new)s”.")
                % {"old": consultation.get_status_display(), "new": Consultation.Status(status).label}
            )
        before = consultation.status
        consultation.status = status
        consultation.save(update_fields=["status", "updated_at"])
        record_audit(
            actor=actor,
            action="consultation.status",
            obj=consultation,
            before={"status": before},
            after={"status": status},
        )
    return consultation


# --- Registration ------------------------------------------------------------------------------------------


def _race_control_enabled() -> bool:
    """TEST ONLY. settings.REGISTRATION_LOCK_DISABLED is a constant False in gcm_portal/settings.py, never read
    from the environment; only tests/consultations/test_race.py turns it on (through pytest-django's
    `settings` fixture), for its control run: without the row lock and the database trigger, the same race
    must overbook, which proves that the race test can see a race at all."""
    return bool(getattr(settings, "REGISTRATION_LOCK_DISABLED", False))


def _lock_consultation(consultation_id: int) -> Consultation:
    """The consultation row, locked until the transaction ends, so that seat counts taken after this are
    true until commit (READ COMMITTED: whoever waited on the lock then sees the seats its predecessor took).
    """
    queryset = Consultation.objects.select_related("review__region")
    if _race_control_enabled():
        # Test-only path (see _race_control_enabled): no lock, and the trigger told to stand aside.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL gcm.registration_guard_off = 'on'")
        return queryset.get(pk=consultation_id)
    return queryset.select_for_update(of=("self",)).get(pk=consultation_id)


def _has_free_seat(consultation: Consultation) -> bool:
    free = selectors.seats_taken(consultation_id=consultation.pk) < consultation.capacity
    if _race_control_enabled():
        # Test-only (see _race_control_enabled): never sleeps in production.
        time.sleep(_UNLOCKED_RACE_WINDOW_SECONDS)
    return free


def _has_waiting_list(consultation: Consultation) -> bool:
    return selectors.waitlist(consultation_id=consultation.pk).exists()


def _set_status(registration: Registration, status: str, *, now: datetime) -> None:
    allowed = REGISTRATION_TRANSITIONS[registration.status] if registration.pk else INITIAL_STATUSES
    if status not in allowed:
        raise IllegalTransition(
            _("A registration cannot go from “%(old)s” to “%(new)s”.")
            % {"old": registration.get_status_display() or "—", "new": Status(status).label}
        )
    registration.status = status
    if status == Status.CONFIRMED:
        registration.confirmed_at = now
    elif status == Status.WAITLISTED:
        registration.waitlisted_at = now
    elif status in (Status.CANCELLED, Status.DECLINED):
        registration.cancelled_at = now


def _locale_for(user) -> str:
    profile = get_profile(user) if user is not None else None
    return profile.preferred_language if profile else settings.LANGUAGE_CODE


def _queue_notice(registration: Registration, kind: str, *, locale: str | None = None) -> RegistrationNotice:
    """Record an e-mail owed to the registrant and send it through Celery once the transaction commits."""
    notice = RegistrationNotice.objects.create(registration=registration, kind=kind)
    locale = locale or _locale_for(registration.user)
    enqueue_on_commit(tasks.send_registration_notice, notice_id=notice.pk, locale=locale)
    return notice


def register_participant(*, consultation_id: int, user, interpretation_language: str = "") -> Registration:
    """Register `user` for a consultation: confirmed while seats are free and nobody is waiting, waitlisted
    otherwise, pending when the organizers approve registrations. Free seats go to people already waiting
    first (promoted by the system, in waiting-list order). The seat count is taken under a lock on the
    consultation row, and a database trigger refuses any confirmed row beyond capacity whatever happens here.

    Raises ProfileRequired, RegistrationError (closed, past, no seats, unknown, already registered).
    Side effects: may confirm waitlisted registrations ("promoted" e-mails, audited with no actor: the
    system); creates (or reopens a cancelled) Registration with a snapshot of the profile, writes an audit
    entry, queues the "received", "confirmed" or "waitlisted" e-mail.
    """
    profile = get_profile(user)
    if profile is None or not has_complete_profile(user):
        raise ProfileRequired(_("Please complete your profile before registering."))
    if interpretation_language and interpretation_language not in dict(settings.LANGUAGES):
        raise RegistrationError(_("Choose an interpretation language from the list."))
    with transaction.atomic():
        try:
            consultation = _lock_consultation(consultation_id)
        except Consultation.DoesNotExist:
            raise RegistrationError(
                _("This consultation does not exist or is not open for registration.")
            ) from None
        now = timezone.now()
        problem = selectors.registration_problem(consultation=consultation, now=now)
        if problem:
            raise RegistrationError(problem)
        registration = Registration.objects.filter(consultation=consultation, user=user).first()
        if registration is not None and registration.status != Status.CANCELLED:
            raise RegistrationError(_("You are already registered for this consultation."))
        before = {"status": registration.status} if registration else {}
        registration = registration or Registration(consultation=consultation, user=user)
        registration.region_key = (
            region_for_country(profile.country.code, prefer_region_key=consultation.review.region.key) or ""
        )
        registration.gender = profile.gender
        registration.stakeholder_group_key = profile.stakeholder_group.key
        registration.interpretation_language = interpretation_language or profile.interpretation_language
        registration.cancelled_at = None
        if not consultation.requires_approval and _has_waiting_list(consultation):
            # People already waiting come first: a seat found free while they wait (an organizer held it
            # back, say) goes to them, head first, before the newcomer is placed.
            _fill_from_waitlist(consultation, actor=None, now=now)
        if consultation.requires_approval:
            _set_status(registration, Status.PENDING, now=now)
        elif _has_free_seat(consultation) and not _has_waiting_list(consultation):
            _set_status(registration, Status.CONFIRMED, now=now)
        else:
            _set_status(registration, Status.WAITLISTED, now=now)
        _save_new_registration(registration, now=now)
        record_audit(
            actor=user,
            action="registration.create",
            obj=registration,
            before=before,
            after={"status": registration.status},
        )
        kind = {Status.PENDING: Notice.RECEIVED, Status.CONFIRMED: Notice.CONFIRMED}.get(
            registration.status, Notice.WAITLISTED
        )
        _queue_notice(registration, kind, locale=profile.preferred_language)
    return registration


def _save_new_registration(registration: Registration, *, now: datetime) -> None:
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        sqlstate = getattr(exc.__cause__, "sqlstate", None)
        # 23514: the capacity trigger refused a seat the count said was free (another writer took it).
        if sqlstate == "23514" and registration.status == Status.CONFIRMED:
            registration.status = Status.WAITLISTED
            registration.confirmed_at = None
            registration.waitlisted_at = now
            registration.save()
            return
        raise RegistrationError(_("You are already registered for this consultation.")) from exc


def _lock_registration(registration_id: int) -> tuple[Registration, Consultation]:
    # Lock the consultation first, always in that order, so two services never wait on each other in reverse.
    consultation_id = Registration.objects.values_list("consultation_id", flat=True).get(pk=registration_id)
    consultation = _lock_consultation(consultation_id)
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    return registration, consultation


def _promote_next(consultation: Consultation, *, actor, now: datetime) -> Registration | None:
    """Fill a freed seat with the head of the waiting list (caller holds the consultation lock)."""
    if not _has_free_seat(consultation):
        return None
    head = selectors.waitlist(consultation_id=consultation.pk).select_for_update().first()
    if head is None:
        return None
    _confirm(head, actor=actor, now=now, kind=Notice.PROMOTED, action="registration.promote")
    return head


def _fill_from_waitlist(consultation: Consultation, *, actor, now: datetime) -> list[Registration]:
    """Give every free seat to the waiting list, head first, as a freed seat is given (caller holds the
    consultation lock)."""
    promoted = []
    while (head := _promote_next(consultation, actor=actor, now=now)) is not None:
        promoted.append(head)
    return promoted


def _confirm(registration: Registration, *, actor, now: datetime, kind: str, action: str) -> None:
    before = registration.status
    _set_status(registration, Status.CONFIRMED, now=now)
    registration.save()
    record_audit(
        actor=actor, action=action, obj=registration, before={"status": before}, after={"status": "confirmed"}
    )
    _queue_notice(registration, kind)


def cancel_registration(*, registration_id: int, actor) -> Registration:
    """The person (or an organizer) cancels. A freed seat goes to the head of the waiting list in the same
    transaction.

    Raises Registration.DoesNotExist, IllegalTransition.
    Side effects: saves the registration, audit entries, "cancelled" (and "promoted") e-mails.
    """
    return _end_registration(registration_id=registration_id, actor=actor, status=Status.CANCELLED)


def decline_registration(*, registration_id: int, actor) -> Registration:
    """An organizer declines a registration; a freed seat goes to the head of the waiting list.

    Side effects: as cancel_registration, with the "declined" e-mail.
    """
    return _end_registration(registration_id=registration_id, actor=actor, status=Status.DECLINED)


def _end_registration(*, registration_id: int, actor, status: str) -> Registration:
    with transaction.atomic():
        registration, consultation = _lock_registration(registration_id)
        now = timezone.now()
        before = registration.status
        held_seat = before in selectors.SEAT_STATUSES
        _set_status(registration, status, now=now)
        registration.save()
        record_audit(
            actor=actor,
            action=f"registration.{status}",
            obj=registration,
            before={"status": before},
            after={"status": status},
        )
        _queue_notice(registration, Notice.CANCELLED if status == Status.CANCELLED else Notice.DECLINED)
        if held_seat:
            _promote_next(consultation, actor=None, now=now)
    return registration


def approve_registration(*, registration_id: int, actor) -> Registration:
    """An organizer approves a pending registration: confirmed if a seat is free, else waitlisted.

    Raises IllegalTransition when not pending.
    Side effects: saves the registration, audit entry, "confirmed" or "waitlisted" e-mail.
    """
    with transaction.atomic():
        registration, consultation = _lock_registration(registration_id)
        if registration.status != Status.PENDING:
            raise IllegalTransition(_("Only registrations awaiting approval can be approved."))
        now = timezone.now()
        if _has_free_seat(consultation):
            _confirm(registration, actor=actor, now=now, kind=Notice.CONFIRMED, action="registration.approve")
        else:
            _set_status(registration, Status.WAITLISTED, now=now)
            registration.save()
            record_audit(
                actor=actor,
                action="registration.approve",
                obj=registration,
                before={"status": Status.PENDING},
                after={"status": Status.WAITLISTED},
            )
            _queue_notice(registration, Notice.WAITLISTED)
    return registration


def promote_registrations(
    *, consultation_id: int, registration_ids: Iterable[int], actor
) -> list[Registration]:
    """An organizer promotes waitlisted people by hand (or accepts the balance-aware proposal), in the order
    given, while seats are free. Returns those promoted; the others stay on the waiting list.

    Side effects: saves registrations, audit entries, "promoted" e-mails.
    """
    promoted = []
    with transaction.atomic():
        consultation = _lock_consultation(consultation_id)
        wanted = [int(pk) for pk in registration_ids]
        rows = Registration.objects.select_for_update().in_bulk(wanted)
        now = timezone.now()
        for pk in wanted:
            registration = rows.get(pk)
            if registration is None or registration.consultation_id != consultation.pk:
                continue
            if registration.status != Status.WAITLISTED or not _has_free_seat(consultation):
                continue
            _confirm(registration, actor=actor, now=now, kind=Notice.PROMOTED, action="registration.promote")
            promoted.append(registration)
    return promoted


def promote_registration(*, registration_id: int, actor) -> Registration:
    """An organizer promotes one waitlisted person by hand (ahead of the list order if they choose so).

    Raises NoSeatFree when no seat is free or the person is not on the waiting list.
    Side effects: saves the registration, audit entry, "promoted" e-mail.
    """
    with transaction.atomic():
        registration, consultation = _lock_registration(registration_id)
        if registration.status != Status.WAITLISTED or not _has_free_seat(consultation):
            raise NoSeatFree(_("No seat is free, or this person is not on the waiting list."))
        _confirm(
            registration, actor=actor, now=timezone.now(), kind=Notice.PROMOTED, action="registration.promote"
        )
    return registration


def mark_attended(*, registration_id: int, actor) -> Registration:
    """After the event, an organizer records that a confirmed person attended.

    Side effects: saves the registration, audit entry.
    """
    with transaction.atomic():
        registration, consultation = _lock_registration(registration_id)
        if consultation.starts_at > timezone.now():
            raise IllegalTransition(_("Attendance can be recorded once the consultation has started."))
        before = registration.status
        _set_status(registration, Status.ATTENDED, now=timezone.now())
        registration.save()
        record_audit(
            actor=actor,
            action="registration.attended",
            obj=registration,
            before={"status": before},
            after={"status": Status.ATTENDED},
        )
    return registration


# --- E-mails and reminders ---------------------------------------------------------------------------------


def deliver_notice(*, notice_id: int, locale: str) -> bool:
    """Send one owed e-mail unless it was sent already (a redelivered task) or the person is gone.

    Side effects: sends an e-mail, sets notice.sent_at.
    """
    from . import emails

    with transaction.atomic():
        notice = (
            RegistrationNotice.objects.select_for_update(of=("self",))
            .select_related("registration__consultation", "registration__user")
            .filter(pk=notice_id)
            .first()
        )
        if notice is None or notice.sent_at is not None or notice.registration.user is None:
            return False
        with override(locale):
            emails.send_registration_email(registration=notice.registration, kind=notice.kind)
        notice.sent_at = timezone.now()
        notice.save(update_fields=["sent_at"])
    return True


# Younger unsent notices are still on their way through the after-commit queueing; older ones lost their task
# (the broker was down at commit) and the sweep below queues them again.
UNSENT_NOTICE_GRACE = timedelta(minutes=5)


def queue_unsent_notices(*, now: datetime | None = None) -> int:
    """Queue again every e-mail still owed (no sent_at) UNSENT_NOTICE_GRACE after it was written, in the
    person's preferred language. Run every few minutes by Celery beat; a notice queued twice is sent once
    (deliver_notice checks sent_at under a lock). Notices of consultations that have ended, and of people who
    deleted their account, are left alone. Returns how many were queued.

    Side effects: queues e-mail tasks (a broker still down is logged and the notices wait for the next run).
    """
    # Queued at once, not on commit: this sweep changes nothing, the notices it reads were committed minutes
    # ago (UNSENT_NOTICE_GRACE), so no rollback can orphan a task; and only an immediate send tells which
    # ones reached the broker, which is the count returned (and logged by the beat task).
    now = now or timezone.now()
    owed = RegistrationNotice.objects.filter(
        sent_at__isnull=True,
        created_at__lte=now - UNSENT_NOTICE_GRACE,
        registration__user__isnull=False,
        registration__consultation__ends_at__gt=now,
    ).values_list("pk", "registration__user__profile__preferred_language")
    return sum(
        enqueue(tasks.send_registration_notice, notice_id=pk, locale=locale or settings.LANGUAGE_CODE)
        for pk, locale in owed
    )


def queue_day_before_reminders(*, now: datetime | None = None) -> int:
    """Queue the reminder for every confirmed person whose consultation starts within a day. Run hourly by
    Celery beat; `reminder_sent_at` makes each reminder go out once.

    Side effects: sets reminder_sent_at, creates notices, queues e-mails.
    """
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for registration in selectors.reminders_due(now=now).select_for_update(of=("self",)):
            registration.reminder_sent_at = now
            registration.save(update_fields=["reminder_sent_at", "updated_at"])
            _queue_notice(registration, Notice.REMINDER)
            count += 1
    return count


# --- Time zones, personal data, retention ------------------------------------------------------------------


def set_time_zone_preference(*, user, time_zone: str) -> TimeZonePreference:
    """Side effects: creates or updates the person's TimeZonePreference, writes an audit entry."""
    if not _is_known_time_zone(time_zone):
        raise RegistrationError(_("Choose a time zone from the list."))
    with transaction.atomic():
        preference, _created = TimeZonePreference.objects.update_or_create(
            user=user, defaults={"time_zone": time_zone}
        )
        record_audit(
            actor=user, action="consultations.time_zone", obj=preference, after={"time_zone": time_zone}
        )
    return preference


def erase_person(*, user, actor=None) -> None:
    """For a deleted account: give up its seats and places in consultations still to come (the waiting list
    moves up), then detach all its registrations (the snapshots stay, as anonymous counts) and drop its time
    zone. `actor`: who asked for the erasure; None means the person themselves (self-service account
    deletion, the only caller today).

    Side effects: cancels upcoming registrations (with promotions), sets Registration.user to NULL, deletes
    the TimeZonePreference, writes audit entries naming `actor`.
    """
    actor = user if actor is None else actor
    with transaction.atomic():
        upcoming = Registration.objects.filter(
            user=user, status__in=selectors.ACTIVE_STATUSES, consultation__starts_at__gt=timezone.now()
        ).values_list("pk", flat=True)
        for registration_id in list(upcoming):
            cancel_registration(registration_id=registration_id, actor=actor)
        count = Registration.objects.filter(user=user).update(user=None, updated_at=timezone.now())
        TimeZonePreference.objects.filter(user=user).delete()
        record_audit(actor=actor, action="registration.erase_person", note=f"{count} registrations detached")


def purge_expired_personal_data(*, now: datetime | None = None) -> int:
    """Detach registrations from people once their consultation ended more than RETENTION_MONTHS ago; the
    rows (status and snapshots) stay, so counts and balance figures do not change. Returns how many.

    Side effects: sets Registration.user to NULL, one audit entry per consultation concerned.
    """
    cutoff = (now or timezone.now()) - relativedelta(months=settings.RETENTION_MONTHS)
    total = 0
    with transaction.atomic():
        expired = Consultation.objects.filter(
            ends_at__lt=cutoff, registrations__user__isnull=False
        ).distinct()
        for consultation in expired:
            count = Registration.objects.filter(consultation=consultation, user__isnull=False).update(
                user=None, updated_at=timezone.now()
            )
            record_audit(
                actor=None,
                action="registration.retention_purge",
                obj=consultation,
                after={"detached": count},
                note=f"Ended before {cutoff:%Y-%m-%d}; retention {settings.RETENTION_MONTHS} months.",
            )
            total += count
    return total
