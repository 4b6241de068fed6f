"""Registration e-mails and calendar files. Rendered in the active language (the task sets it from the
person's profile), HTML with a plain-text alternative; everything a person typed is escaped by the templates.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Consultation, Registration, RegistrationNotice, TimeZonePreference
from .selectors import waitlist_position

Kind = RegistrationNotice.Kind

# The e-mails that announce a seat carry the calendar invitation and, for confirmed people, the meeting link.
SEAT_KINDS = frozenset({Kind.CONFIRMED, Kind.PROMOTED, Kind.REMINDER})


def _subject(kind: str, title: str) -> str:
    subjects = {
        Kind.RECEIVED: _("Registration received: %(title)s"),
        Kind.CONFIRMED: _("Your place is confirmed: %(title)s"),
        Kind.WAITLISTED: _("You are on the waiting list: %(title)s"),
        Kind.PROMOTED: _("A place is now yours: %(title)s"),
        Kind.CANCELLED: _("Registration cancelled: %(title)s"),
        Kind.DECLINED: _("Registration not accepted: %(title)s"),
        Kind.REMINDER: _("Reminder, tomorrow: %(title)s"),
    }
    # A subject is one line whatever the title holds.
    return " ".join((subjects[kind] % {"title": title}).split())


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def shows_meeting_link(registration: Registration) -> bool:
    """The meeting link is for confirmed participants only."""
    return registration.status == Registration.Status.CONFIRMED and bool(
        registration.consultation.meeting_link
    )


def build_calendar(*, registration: Registration) -> bytes:
    """An iCalendar invitation for the consultation, in the event's time zone, with the meeting link when the
    registration is confirmed."""
    consultation: Consultation = registration.consultation
    zone = ZoneInfo(consultation.time_zone)
    page = absolute_url(consultation.get_absolute_url())
    with_link = shows_meeting_link(registration)

    event = Event()
    event.add("uid", f"consultation-{consultation.pk}-registration-{registration.pk}@gcm-portal")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", consultation.starts_at.astimezone(zone))
    event.add("dtend", consultation.ends_at.astimezone(zone))
    event.add("summary", consultation.title)
    description = [strip_tags(consultation.summary).strip(), page]
    if with_link:
        description.append(_("Meeting link: %(link)s") % {"link": consultation.meeting_link})
    event.add("description", "\n\n".join(part for part in description if part))
    if with_link and consultation.format == Consultation.Format.ONLINE:
        event.add("location", consultation.meeting_link)
    elif consultation.venue:
        event.add("location", consultation.venue)
    event.add("url", consultation.meeting_link if with_link else page)
    event.add("status", "CONFIRMED")

    calendar = Calendar()
    calendar.add("prodid", "-//GCM Regional Review Portal//Consultations//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _has_calendar(registration: Registration, kind: str) -> bool:
    return kind in SEAT_KINDS and registration.status == Registration.Status.CONFIRMED


def email_context(*, registration: Registration, kind: str) -> dict:
    consultation = registration.consultation
    profile = getattr(registration.user, "profile", None)
    own_zone = (
        TimeZonePreference.objects.filter(user=registration.user).values_list("time_zone", flat=True).first()
    )
    return {
        "kind": kind,
        "registration": registration,
        "consultation": consultation,
        "name": profile.full_name if profile else registration.user.get_username(),
        "event_zone": consultation.time_zone,
        "own_zone": own_zone if own_zone and own_zone != consultation.time_zone else None,
        "position": waitlist_position(registration),
        "meeting_link": consultation.meeting_link
        if kind in SEAT_KINDS and shows_meeting_link(registration)
        else "",
        "has_calendar": _has_calendar(registration, kind),
        "consultation_url": absolute_url(consultation.get_absolute_url()),
        "my_registrations_url": absolute_url(reverse("consultations:my_registrations")),
    }


def build_registration_email(*, registration: Registration, kind: str) -> EmailMultiAlternatives:
    """The e-mail of `kind` for `registration`, in the active language."""
    context = email_context(registration=registration, kind=kind)
    message = EmailMultiAlternatives(
        subject=_subject(kind, registration.consultation.title),
        body=render_to_string("consultations/email/registration.txt", context),
        to=[registration.user.email],
    )
    message.attach_alternative(
        render_to_string("consultations/email/registration.html", context), "text/html"
    )
    if _has_calendar(registration, kind):
        message.attach("consultation.ics", build_calendar(registration=registration), "text/calendar")
    return message


def send_registration_email(*, registration: Registration, kind: str) -> None:
    build_registration_email(registration=registration, kind=kind).send()
