from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import translation
from icalendar import Calendar

from consultations import services
from consultations.emails import build_calendar, build_registration_email
from consultations.models import Consultation, Registration, RegistrationNotice

from .factories import ConsultationFactory, ProfileFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

SUBJECT_START = {
    "en": "Your place is confirmed",
    "fr": "Votre place est confirmée",
    "ar": "تم تأكيد مقعدك",
}


def _event_in_july():
    # 10:00 in Nairobi (UTC+3) is 07:00 UTC.
    start = datetime(2031, 7, 8, 10, 0, tzinfo=ZoneInfo("Africa/Nairobi"))
    return {"starts_at": start, "ends_at": start + timedelta(hours=2), "time_zone": "Africa/Nairobi"}


@pytest.mark.parametrize("language", ["ar", "en", "fr"])
def test_confirmation_email_in_each_language_with_the_right_calendar(language):
    consultation = ConsultationFactory(**_event_in_july())
    profile = ProfileFactory(preferred_language=language, full_name="<b>Amina</b> & co")
    registration = RegistrationFactory(
        consultation=consultation, user=profile.user, status=Registration.Status.CONFIRMED
    )
    with translation.override(language):
        message = build_registration_email(registration=registration, kind=RegistrationNotice.Kind.CONFIRMED)
    assert message.subject.startswith(SUBJECT_START[language])
    assert getattr(consultation, f"title_{language}") in message.subject
    html = message.alternatives[0][0]
    # What a person typed is escaped in HTML and kept as typed in plain text.
    assert "&lt;b&gt;Amina&lt;/b&gt; &amp; co" in html and "<b>Amina</b>" not in html
    assert "<b>Amina</b> & co" in message.body
    assert f'lang="{language}"' in html and ('dir="rtl"' in html) == (language == "ar")
    assert consultation.meeting_link in message.body and consultation.meeting_link in html
    assert "10:00" in message.body and "Africa/Nairobi" in message.body

    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("consultation.ics", "text/calendar")
    calendar = Calendar.from_ical(content)
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("dtstart") == consultation.starts_at
    assert event.decoded("dtstart").utcoffset() == timedelta(hours=3)
    assert event["dtstart"].params["TZID"] == "Africa/Nairobi"
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)
    assert str(event["summary"]) == getattr(consultation, f"title_{language}")
    assert consultation.meeting_link in str(event["description"])
    assert str(event["location"]) == consultation.meeting_link
    assert calendar.walk("VTIMEZONE"), "the calendar carries its time zone definition"


@pytest.mark.parametrize(
    ("kind", "language", "expected"),
    [
        ("received", "en", "Registration received"),
        ("waitlisted", "fr", "Vous êtes sur la liste d’attente"),
        ("promoted", "ar", "أصبح لك مقعد"),
        ("cancelled", "en", "Registration cancelled"),
        ("reminder", "fr", "Rappel, demain"),
    ],
)
def test_every_kind_of_email_renders(kind, language, expected):
    status = {
        "received": Registration.Status.PENDING,
        "waitlisted": Registration.Status.WAITLISTED,
        "cancelled": Registration.Status.CANCELLED,
    }.get(kind, Registration.Status.CONFIRMED)
    registration = RegistrationFactory(status=status)
    with translation.override(language):
        message = build_registration_email(registration=registration, kind=kind)
    assert message.subject.startswith(expected)
    assert message.alternatives and message.body.strip()
    has_link = registration.consultation.meeting_link in message.body
    assert has_link == (status == Registration.Status.CONFIRMED)
    assert bool(message.attachments) == (status == Registration.Status.CONFIRMED)


def test_in_person_calendar_has_the_venue_and_no_link_for_others():
    consultation = ConsultationFactory(format=Consultation.Format.IN_PERSON, venue_en="UN House, Beirut")
    waiting = RegistrationFactory(consultation=consultation, status=Registration.Status.WAITLISTED)
    event = Calendar.from_ical(build_calendar(registration=waiting)).walk("VEVENT")[0]
    assert str(event["location"]) == "UN House, Beirut"
    assert consultation.meeting_link not in event.to_ical().decode()


def test_emails_go_out_in_the_recipients_language_after_commit(django_capture_on_commit_callbacks):
    consultation = ConsultationFactory()
    user = ProfileFactory(preferred_language="ar").user
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.register_participant(consultation_id=consultation.pk, user=user)
    assert not mail.outbox, "nothing is sent before the transaction commits"
    with translation.override("fr"):
        for callback in callbacks:
            callback()
    assert mail.outbox[0].subject.startswith(SUBJECT_START["ar"])
    assert RegistrationNotice.objects.get().sent_at is not None
