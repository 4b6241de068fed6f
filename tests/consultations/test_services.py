from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from consultations import services
from consultations.models import Consultation, Registration, RegistrationNotice
from gcm_portal.models import AuditEntry
from reviews.models import ReviewEvent
from tests.factories import UserFactory, objective, region, stakeholder_group

from .factories import ConsultationFactory, ProfileFactory, RegistrationFactory, participant

pytestmark = pytest.mark.django_db
Status = Registration.Status


def register(consultation, user=None, **kwargs):
    return services.register_participant(
        consultation_id=consultation.pk, user=user or participant(), **kwargs
    )


# --- Registering ---------------------------------------------------------------------------------------


def test_registration_confirms_while_seats_are_free_then_waitlists_with_positions(
    django_capture_on_commit_callbacks,
):
    consultation = ConsultationFactory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        first, second, third, fourth = (register(consultation) for _ in range(4))
    assert [first.status, second.status] == [Status.CONFIRMED, Status.CONFIRMED]
    assert [third.status, fourth.status] == [Status.WAITLISTED, Status.WAITLISTED]
    assert first.confirmed_at is not None and third.waitlisted_at is not None
    from consultations.selectors import waitlist_position

    assert [waitlist_position(third), waitlist_position(fourth)] == [1, 2]
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "Your place is confirmed",
        "Your place is confirmed",
        "You are on the waiting list",
        "You are on the waiting list",
    ]
    assert "Your position: 2." in mail.outbox[3].body


def test_registration_snapshots_the_profile_with_the_review_region_preferred():
    consultation = ConsultationFactory(review__region=region("africa"))
    user = ProfileFactory(
        country="EG",
        gender="man",
        stakeholder_group=stakeholder_group("academia"),
        interpretation_language="fr",
    ).user
    registration = register(consultation, user)
    # Egypt belongs to the Africa and the Arab regions: the consultation's review decides.
    assert (registration.region_key, registration.gender, registration.stakeholder_group_key) == (
        "africa",
        "man",
        "academia",
    )
    assert registration.interpretation_language == "fr"
    assert register(ConsultationFactory(), ProfileFactory(country="EG").user).region_key == "arab"


def test_registration_audits_the_change():
    consultation = ConsultationFactory()
    user = participant()
    registration = register(consultation, user)
    entry = AuditEntry.objects.get(action="registration.create", object_id=str(registration.pk))
    assert entry.actor == user and entry.after == {"status": "confirmed"}


def test_approval_needed_makes_registrations_pending_and_sends_received(django_capture_on_commit_callbacks):
    consultation = ConsultationFactory(requires_approval=True, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(consultation)
    assert registration.status == Status.PENDING
    assert mail.outbox[0].subject.startswith("Registration received")
    assert not mail.outbox[0].attachments


def test_profile_is_required():
    user = UserFactory()
    with pytest.raises(services.ProfileRequired):
        register(ConsultationFactory(), user)
    unfinished = ProfileFactory(terms_accepted_at=None).user
    with pytest.raises(services.ProfileRequired):
        register(ConsultationFactory(), unfinished)
    assert not Registration.objects.exists()


def test_registering_twice_is_refused_and_the_database_refuses_duplicates():
    consultation = ConsultationFactory()
    user = participant()
    register(consultation, user)
    with pytest.raises(services.RegistrationError, match="already registered"):
        register(consultation, user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(consultation=consultation, user=user, status=Status.WAITLISTED)
    # Detached (erased) rows do not count as the same person.
    Registration.objects.create(consultation=consultation, user=None, status=Status.CANCELLED)
    Registration.objects.create(consultation=consultation, user=None, status=Status.CANCELLED)


def test_a_person_who_cancelled_may_register_again():
    consultation = ConsultationFactory()
    user = participant()
    registration = register(consultation, user)
    services.cancel_registration(registration_id=registration.pk, actor=user)
    again = register(consultation, user)
    assert again.pk == registration.pk and again.status == Status.CONFIRMED and again.cancelled_at is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Consultation.Status.CLOSED}, "not open"),
        ({"status": Consultation.Status.DRAFT}, "not open"),
        ({"is_published": False}, "not open"),
        ({"capacity": 0}, "no seats"),
        ({"registration_closes_at": timezone.now() - timedelta(hours=1)}, "Registration closed on"),
        ({"registration_opens_at": timezone.now() + timedelta(days=2)}, "Registration opens on"),
    ],
)
def test_bad_registrations_give_a_clear_message(changes, message):
    consultation = ConsultationFactory(**changes)
    with pytest.raises(services.RegistrationError, match=message):
        register(consultation)
    assert not Registration.objects.exists()


def test_past_event_and_forged_id_give_a_clear_message():
    past = ConsultationFactory(
        starts_at=timezone.now() - timedelta(days=1), ends_at=timezone.now() - timedelta(hours=20)
    )
    with pytest.raises(services.RegistrationError, match="already taken place"):
        register(past)
    with pytest.raises(services.RegistrationError, match="does not exist or is not open"):
        services.register_participant(consultation_id=987654, user=participant())


def test_unknown_interpretation_language_is_refused():
    with pytest.raises(services.RegistrationError, match="interpretation language"):
        register(ConsultationFactory(), interpretation_language="xx")


# --- Waiting list and organizer actions ----------------------------------------------------------------


def test_cancelling_a_confirmed_place_promotes_the_head_of_the_waiting_list(
    django_capture_on_commit_callbacks,
):
    consultation = ConsultationFactory(capacity=1)
    owner = participant()
    confirmed = register(consultation, owner)
    head, second = register(consultation), register(consultation)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration_id=confirmed.pk, actor=owner)
    head.refresh_from_db()
    second.refresh_from_db()
    assert head.status == Status.CONFIRMED and second.status == Status.WAITLISTED
    subjects = sorted(m.subject.split(":")[0] for m in mail.outbox)
    assert subjects == ["A place is now yours", "Registration cancelled"]
    promoted_mail = next(m for m in mail.outbox if m.subject.startswith("A place"))
    assert consultation.meeting_link in promoted_mail.body
    assert promoted_mail.attachments[0][0] == "consultation.ics"
    assert AuditEntry.objects.filter(action="registration.promote", object_id=str(head.pk)).exists()


def test_declining_a_confirmed_place_promotes_too():
    consultation = ConsultationFactory(capacity=1)
    confirmed, waiting = register(consultation), register(consultation)
    services.decline_registration(registration_id=confirmed.pk, actor=UserFactory(is_staff=True))
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_cancelling_a_waitlisted_place_promotes_nobody():
    consultation = ConsultationFactory(capacity=1)
    register(consultation)
    waiting, last = register(consultation), register(consultation)
    services.cancel_registration(registration_id=waiting.pk, actor=waiting.user)
    last.refresh_from_db()
    assert last.status == Status.WAITLISTED


def test_approve_confirms_while_seats_are_free_then_waitlists():
    consultation = ConsultationFactory(capacity=1, requires_approval=True)
    first, second = register(consultation), register(consultation)
    staff = UserFactory(is_staff=True)
    assert services.approve_registration(registration_id=first.pk, actor=staff).status == Status.CONFIRMED
    assert services.approve_registration(registration_id=second.pk, actor=staff).status == Status.WAITLISTED
    with pytest.raises(services.IllegalTransition):
        services.approve_registration(registration_id=first.pk, actor=staff)


def test_promote_by_hand_respects_capacity_and_the_order_given():
    consultation = ConsultationFactory(capacity=1)
    register(consultation)
    head, tail = register(consultation), register(consultation)
    Consultation.objects.filter(pk=consultation.pk).update(capacity=2)
    promoted = services.promote_registrations(
        consultation_id=consultation.pk, registration_ids=[tail.pk, head.pk], actor=UserFactory(is_staff=True)
    )
    # One seat was free: the first person named gets it, whatever the waiting-list order.
    assert [r.pk for r in promoted] == [tail.pk]
    head.refresh_from_db()
    assert head.status == Status.WAITLISTED
    assert Registration.objects.filter(consultation=consultation, status=Status.CONFIRMED).count() == 2


@pytest.mark.parametrize(
    ("start", "target", "legal"),
    [
        (Status.PENDING, Status.CONFIRMED, True),
        (Status.PENDING, Status.DECLINED, True),
        (Status.WAITLISTED, Status.CONFIRMED, True),
        (Status.CONFIRMED, Status.ATTENDED, True),
        (Status.CONFIRMED, Status.WAITLISTED, False),
        (Status.CANCELLED, Status.ATTENDED, False),
        (Status.DECLINED, Status.CONFIRMED, False),
        (Status.ATTENDED, Status.CANCELLED, False),
        (Status.WAITLISTED, Status.ATTENDED, False),
    ],
)
def test_registration_state_machine(start, target, legal):
    registration = RegistrationFactory(status=start)
    if legal:
        services._set_status(registration, target, now=timezone.now())
        assert registration.status == target
    else:
        with pytest.raises(services.IllegalTransition):
            services._set_status(registration, target, now=timezone.now())


def test_illegal_transitions_through_services_change_nothing():
    registration = RegistrationFactory(status=Status.DECLINED)
    with pytest.raises(services.IllegalTransition):
        services.cancel_registration(registration_id=registration.pk, actor=registration.user)
    registration.refresh_from_db()
    assert registration.status == Status.DECLINED


def test_attendance_only_after_the_start():
    upcoming = RegistrationFactory(status=Status.CONFIRMED)
    with pytest.raises(services.IllegalTransition):
        services.mark_attended(registration_id=upcoming.pk, actor=UserFactory())
    past = ConsultationFactory(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    held = RegistrationFactory(consultation=past, status=Status.CONFIRMED)
    assert services.mark_attended(registration_id=held.pk, actor=UserFactory()).status == Status.ATTENDED


@pytest.mark.parametrize(
    ("start", "target", "legal"),
    [
        ("draft", "open", True),
        ("open", "closed", True),
        ("closed", "held", True),
        ("held", "reported", True),
        ("open", "draft", True),
        ("draft", "held", False),
        ("reported", "open", False),
        ("held", "open", False),
    ],
)
def test_consultation_state_machine(start, target, legal):
    consultation = ConsultationFactory(status=start)
    if legal:
        services.change_consultation_status(
            consultation_id=consultation.pk, status=target, actor=UserFactory()
        )
        consultation.refresh_from_db()
        assert consultation.status == target
        assert AuditEntry.objects.get(action="consultation.status").after == {"status": target}
    else:
        with pytest.raises(services.IllegalTransition):
            services.change_consultation_status(
                consultation_id=consultation.pk, status=target, actor=UserFactory()
            )


# --- The database backstop ---------------------------------------------------------------------------------


def test_database_refuses_a_confirmed_row_beyond_capacity():
    consultation = ConsultationFactory(capacity=1)
    RegistrationFactory(consultation=consultation, status=Status.CONFIRMED)
    with pytest.raises(IntegrityError, match="full"), transaction.atomic():
        RegistrationFactory(consultation=consultation, status=Status.CONFIRMED)
    waiting = RegistrationFactory(consultation=consultation, status=Status.WAITLISTED)
    waiting.status = Status.CONFIRMED
    with pytest.raises(IntegrityError, match="full"), transaction.atomic():
        waiting.save()


def test_service_falls_back_to_the_waiting_list_when_the_backstop_refuses(monkeypatch):
    consultation = ConsultationFactory(capacity=1)
    RegistrationFactory(consultation=consultation, status=Status.CONFIRMED)
    # Pretend the count was taken before someone else's seat committed.
    monkeypatch.setattr(services, "_has_free_seat", lambda consultation: True)
    assert register(consultation).status == Status.WAITLISTED


# --- Consultations and the timeline ----------------------------------------------------------------------


def test_saving_a_consultation_sanitises_rich_text_and_keeps_the_timeline_in_step():
    consultation = ConsultationFactory.build(
        review=ConsultationFactory().review,
        concept_note_en='<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x()">a</a></p>',
        starts_at=timezone.now().replace(hour=23, minute=30) + timedelta(days=10),
        time_zone="Asia/Beirut",
    )
    consultation.ends_at = consultation.starts_at + timedelta(hours=2)
    services.save_consultation(consultation=consultation, actor=UserFactory())
    consultation.objectives.set([objective(17), objective(23)])
    event = services.sync_timeline_event(consultation=consultation)
    assert "script" not in consultation.concept_note_en and "onclick" not in consultation.concept_note_en
    assert "javascript" not in consultation.concept_note_en
    event.refresh_from_db()
    assert event.kind == ReviewEvent.Kind.STAKEHOLDER_CONSULTATION
    assert event.date_precision == ReviewEvent.Precision.DAY
    # 23:30 UTC is already the next day in Beirut: the timeline shows the event's own date.
    from zoneinfo import ZoneInfo

    assert event.date_start == consultation.starts_at.astimezone(ZoneInfo("Asia/Beirut")).date()
    assert event.title_en == consultation.title_en and event.title_ar == consultation.title_ar
    assert sorted(event.objectives.values_list("number", flat=True)) == [17, 23]
    consultation.is_published = False
    services.save_consultation(consultation=consultation, actor=UserFactory())
    assert not ReviewEvent.objects.filter(pk=event.pk).exists()
    assert Consultation.objects.get(pk=consultation.pk).timeline_event is None


# --- E-mail delivery, reminders, retention, erasure --------------------------------------------------------


def test_a_notice_is_sent_once_even_when_the_task_is_redelivered():
    registration = register(ConsultationFactory())
    notice = RegistrationNotice.objects.get(registration=registration)
    assert services.deliver_notice(notice_id=notice.pk, locale="en") is True
    assert services.deliver_notice(notice_id=notice.pk, locale="en") is False
    assert len(mail.outbox) == 1


def test_reminders_go_once_to_confirmed_people_of_consultations_starting_within_a_day(
    django_capture_on_commit_callbacks,
):
    soon = ConsultationFactory(
        starts_at=timezone.now() + timedelta(hours=20), ends_at=timezone.now() + timedelta(hours=22)
    )
    later = ConsultationFactory()
    confirmed = RegistrationFactory(consultation=soon, status=Status.CONFIRMED)
    RegistrationFactory(consultation=soon, status=Status.WAITLISTED)
    RegistrationFactory(consultation=later, status=Status.CONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_day_before_reminders() == 1
        assert services.queue_day_before_reminders() == 0
    assert [m.to for m in mail.outbox] == [[confirmed.user.email]]
    assert mail.outbox[0].subject.startswith("Reminder, tomorrow")
    assert soon.meeting_link in mail.outbox[0].body


def test_retention_detaches_people_but_keeps_counts(settings):
    settings.RETENTION_MONTHS = 24
    ended = timezone.now() - relativedelta(months=25)
    old = ConsultationFactory(
        starts_at=ended - timedelta(hours=2), ends_at=ended, status=Consultation.Status.HELD
    )
    recent = ConsultationFactory()
    RegistrationFactory.create_batch(3, consultation=old, status=Status.ATTENDED)
    kept = RegistrationFactory(consultation=recent)
    assert services.purge_expired_personal_data() == 3
    assert Registration.objects.filter(consultation=old).count() == 3
    assert not Registration.objects.filter(consultation=old, user__isnull=False).exists()
    assert set(Registration.objects.filter(consultation=old).values_list("region_key", flat=True)) == {
        "africa"
    }
    kept.refresh_from_db()
    assert kept.user is not None
    assert AuditEntry.objects.get(action="registration.retention_purge").after == {"detached": 3}
    assert services.purge_expired_personal_data() == 0


def test_purge_command(settings, capsys):
    from django.core.management import call_command

    ended = timezone.now() - relativedelta(months=settings.RETENTION_MONTHS + 1)
    old = ConsultationFactory(starts_at=ended - timedelta(hours=2), ends_at=ended)
    RegistrationFactory(consultation=old)
    call_command("purge_personal_data")
    assert "Detached 1 registrations" in capsys.readouterr().out


def test_erasing_a_person_frees_upcoming_seats_and_keeps_the_snapshots():
    consultation = ConsultationFactory(capacity=1)
    user = participant()
    mine = register(consultation, user)
    waiting = register(consultation)
    services.set_time_zone_preference(user=user, time_zone="Africa/Cairo")
    services.erase_person(user=user)
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.user is None and mine.status == Status.CANCELLED and mine.region_key == "arab"
    assert waiting.status == Status.CONFIRMED
    from consultations.models import TimeZonePreference

    assert not TimeZonePreference.objects.filter(user=user).exists()


def test_personal_data_hooks_are_registered():
    from stakeholders import personal_data

    consultation = ConsultationFactory()
    user = participant()
    register(consultation, user)
    exported = personal_data.registered_exporters()["consultations"](user)
    assert exported["registrations"][0]["consultation_slug"] == consultation.slug
    personal_data.registered_erasers()["consultations"](user=user, actor=user)
    assert not Registration.objects.filter(user=user).exists()


def test_time_zone_preference_is_validated():
    with pytest.raises(services.RegistrationError):
        services.set_time_zone_preference(user=participant(), time_zone="Mars/Olympus")


# --- Promotion by hand, and the race test's switch ---------------------------------------------------------


def test_promoting_one_person_needs_a_free_seat_and_a_waitlisted_registration():
    consultation = ConsultationFactory(capacity=1)
    RegistrationFactory(consultation=consultation, status=Status.CONFIRMED)
    waiting = RegistrationFactory(consultation=consultation, status=Status.WAITLISTED)
    staff = UserFactory(is_staff=True)
    with pytest.raises(services.NoSeatFree, match="No seat is free"):
        services.promote_registration(registration_id=waiting.pk, actor=staff)
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED

    Consultation.objects.filter(pk=consultation.pk).update(capacity=2)
    promoted = services.promote_registration(registration_id=waiting.pk, actor=staff)
    assert promoted.status == Status.CONFIRMED
    entry = AuditEntry.objects.get(action="registration.promote")
    assert (entry.object_id, entry.actor) == (str(waiting.pk), staff)
    assert RegistrationNotice.objects.get(registration=waiting).kind == RegistrationNotice.Kind.PROMOTED
    with pytest.raises(services.NoSeatFree):
        services.promote_registration(registration_id=waiting.pk, actor=staff)


@pytest.mark.parametrize(("switch", "sleeps"), [(False, 0), (True, 1)])
def test_the_widened_race_window_is_only_for_the_race_tests_control_run(
    settings, monkeypatch, switch, sleeps
):
    settings.REGISTRATION_LOCK_DISABLED = switch
    slept = []
    monkeypatch.setattr(services.time, "sleep", slept.append)
    registration = register(ConsultationFactory())
    assert registration.status == Status.CONFIRMED
    assert slept == [services._UNLOCKED_RACE_WINDOW_SECONDS] * sleeps


def test_the_race_switch_is_off_by_default_and_missing_means_off(settings):
    assert settings.REGISTRATION_LOCK_DISABLED is False
    del settings.REGISTRATION_LOCK_DISABLED
    assert services._race_control_enabled() is False
