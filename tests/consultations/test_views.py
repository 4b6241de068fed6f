from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consultations.models import BackgroundDocument, Consultation, Registration, TimeZonePreference
from reviews.models import ReviewMembership
from tests.factories import StaffUserFactory, UserFactory, objective, region

from .factories import (
    AgendaItemFactory,
    ConsultationFactory,
    GuidingQuestionFactory,
    OrganizationFactory,
    RegistrationFactory,
    participant,
)

pytestmark = pytest.mark.django_db
Status = Registration.Status


def url(name, **kwargs):
    return reverse(f"consultations:{name}", kwargs=kwargs)


def organizer_of(consultation):
    staff = StaffUserFactory()
    ReviewMembership.objects.create(
        review=consultation.review, user=staff, role=ReviewMembership.Role.ORGANIZER
    )
    return staff


# --- Public list -------------------------------------------------------------------------------------------


def test_list_shows_published_consultations_only_with_seats_left(client):
    shown = ConsultationFactory(capacity=5)
    RegistrationFactory.create_batch(2, consultation=shown)
    ConsultationFactory(is_published=False, title_en="Hidden draft")
    ConsultationFactory(status=Consultation.Status.DRAFT, title_en="Draft one")
    response = client.get(url("list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert shown.title_en in body and "Hidden draft" not in body and "Draft one" not in body
    assert "3 seats left" in body


def test_list_filters(client):
    africa = ConsultationFactory(
        review__region=region("africa"), format=Consultation.Format.HYBRID, objectives=[objective(17)]
    )
    arab = ConsultationFactory(objectives=[objective(5)], status=Consultation.Status.CLOSED)

    def titles(**params):
        return [c.pk for c in client.get(url("list"), params).context["page"]]

    assert titles(review=africa.review.pk) == [africa.pk]
    assert titles(objective=objective(17).pk) == [africa.pk]
    assert titles(format="hybrid") == [africa.pk]
    assert titles(open="true") == [africa.pk]
    assert titles(open="false") == [arab.pk]
    assert sorted(titles()) == sorted([africa.pk, arab.pk])


def test_list_has_no_n_plus_one(client):
    def count_queries():
        cache.clear()  # measure building the page, not the page cache
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("list")).status_code == 200
        return len(ctx.captured_queries)

    first = ConsultationFactory(
        lead_organization=OrganizationFactory(), objectives=[objective(1), objective(3)]
    )
    first.co_lead_organizations.add(OrganizationFactory())
    RegistrationFactory(consultation=first)
    one = count_queries()
    for _ in range(6):
        other = ConsultationFactory(lead_organization=OrganizationFactory(), objectives=[objective(7)])
        other.co_lead_organizations.add(OrganizationFactory(), OrganizationFactory())
        RegistrationFactory.create_batch(2, consultation=other)
    assert count_queries() == one


# --- Consultation page -----------------------------------------------------------------------------------


def test_page_shows_agenda_in_the_event_time_zone_and_questions(client):
    consultation = ConsultationFactory(
        time_zone="Africa/Nairobi",
        starts_at=timezone.now().replace(hour=7, minute=0, second=0, microsecond=0) + timedelta(days=20),
    )
    AgendaItemFactory(consultation=consultation, starts_at=consultation.starts_at, title_en="Opening words")
    GuidingQuestionFactory(consultation=consultation, text_en="Where do we stand on objective 17?")
    body = client.get(consultation.get_absolute_url()).content.decode()
    # 07:00 UTC is 10:00 in Nairobi.
    assert "10:00" in body and "Africa/Nairobi" in body
    assert "Opening words" in body and "Where do we stand on objective 17?" in body
    assert "10 of 10 seats left" in body
    assert consultation.meeting_link not in body


def test_page_shows_times_in_the_users_own_zone_too(client):
    consultation = ConsultationFactory(
        starts_at=timezone.now().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=20)
    )
    user = participant()
    TimeZonePreference.objects.create(user=user, time_zone="Asia/Tokyo")
    client.force_login(user)
    body = client.get(consultation.get_absolute_url()).content.decode()
    assert "Asia/Tokyo" in body and "19:00" in body


def test_unpublished_page_is_404(client):
    assert client.get(ConsultationFactory(is_published=False).get_absolute_url()).status_code == 404


def test_rich_text_is_sanitised_on_display(client):
    consultation = ConsultationFactory()
    Consultation.objects.filter(pk=consultation.pk).update(
        concept_note_en='<p>Note<script>alert("x")</script></p>'
    )
    body = client.get(consultation.get_absolute_url()).content.decode()
    assert "<p>Note</p>" in body and 'alert("x")' not in body


# --- The meeting link ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.WAITLISTED, Status.CANCELLED, Status.PENDING, Status.DECLINED])
def test_meeting_link_hidden_from_people_who_are_not_confirmed(client, status):
    registration = RegistrationFactory(status=status)
    client.force_login(registration.user)
    for page in (url("my_registrations"), registration.consultation.get_absolute_url()):
        assert registration.consultation.meeting_link not in client.get(page).content.decode()
    assert client.get(url("calendar", pk=registration.pk)).status_code == 404


def test_meeting_link_hidden_from_anonymous_and_other_users(client):
    registration = RegistrationFactory(status=Status.CONFIRMED)
    link = registration.consultation.meeting_link
    assert link not in client.get(registration.consultation.get_absolute_url()).content.decode()
    client.force_login(participant())
    assert link not in client.get(registration.consultation.get_absolute_url()).content.decode()
    assert link not in client.get(url("my_registrations")).content.decode()


def test_meeting_link_shown_to_the_confirmed_participant(client):
    registration = RegistrationFactory(status=Status.CONFIRMED)
    client.force_login(registration.user)
    assert registration.consultation.meeting_link in client.get(url("my_registrations")).content.decode()


# --- Registering -----------------------------------------------------------------------------------------


def test_register_confirms_and_redirects_to_my_registrations(client):
    consultation = ConsultationFactory()
    user = participant()
    client.force_login(user)
    response = client.post(
        url("register", slug=consultation.slug), {"interpretation_language": "ar"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("my_registrations")
    registration = Registration.objects.get(user=user)
    assert registration.status == Status.CONFIRMED and registration.interpretation_language == "ar"
    assert "Your place is confirmed" in response.content.decode()


def test_register_when_full_says_the_waiting_list_position(client):
    consultation = ConsultationFactory(capacity=1)
    RegistrationFactory(consultation=consultation)
    client.force_login(participant())
    response = client.post(url("register", slug=consultation.slug), follow=True)
    assert "number 1 on the waiting list" in response.content.decode()


def test_register_anonymous_goes_to_login(client):
    consultation = ConsultationFactory()
    response = client.post(url("register", slug=consultation.slug))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_register_without_profile_goes_to_the_profile_page(client):
    consultation = ConsultationFactory()
    client.force_login(UserFactory())
    response = client.post(url("register", slug=consultation.slug))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("stakeholders:profile") + "?next=")
    assert not Registration.objects.exists()


def test_register_get_shows_a_confirmation_form(client):
    consultation = ConsultationFactory()
    client.force_login(participant())
    response = client.get(url("register", slug=consultation.slug))
    assert response.status_code == 200 and consultation.title_en in response.content.decode()


def test_register_for_a_closed_consultation_gives_a_clear_message(client):
    consultation = ConsultationFactory(status=Consultation.Status.CLOSED)
    client.force_login(participant())
    response = client.post(url("register", slug=consultation.slug), follow=True)
    assert "Registration for this consultation is not open." in response.content.decode()
    assert not Registration.objects.exists()


def test_register_for_a_past_or_seatless_consultation_gives_a_clear_message(client):
    past = ConsultationFactory(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )
    seatless = ConsultationFactory(capacity=0)
    client.force_login(participant())
    assert "already taken place" in client.post(url("register", slug=past.slug), follow=True).content.decode()
    assert "no seats" in client.post(url("register", slug=seatless.slug), follow=True).content.decode()
    assert not Registration.objects.exists()


def test_register_with_a_forged_consultation_gives_a_clear_message(client):
    hidden = ConsultationFactory(is_published=False)
    client.force_login(participant())
    for slug in ("no-such-consultation", hidden.slug):
        response = client.post(url("register", slug=slug))
        assert response.status_code == 404
        assert "does not exist or is not open for registration" in response.content.decode()
    assert not Registration.objects.exists()


def test_register_twice_gives_a_clear_message(client):
    consultation = ConsultationFactory()
    client.force_login(participant())
    client.post(url("register", slug=consultation.slug))
    response = client.post(url("register", slug=consultation.slug), follow=True)
    assert "already registered" in response.content.decode()
    assert Registration.objects.count() == 1


# --- Registration URLs: owner / other / anonymous ----------------------------------------------------------


def test_my_registrations_owner_other_anonymous(client):
    registration = RegistrationFactory(status=Status.WAITLISTED)
    title = registration.consultation.title_en
    assert client.get(url("my_registrations")).status_code == 302
    client.force_login(participant())
    assert title not in client.get(url("my_registrations")).content.decode()
    client.force_login(registration.user)
    body = client.get(url("my_registrations")).content.decode()
    assert title in body and "Number 1 on the waiting list" in body


def test_cancel_owner_other_anonymous(client):
    registration = RegistrationFactory(status=Status.CONFIRMED)
    target = url("cancel", pk=registration.pk)
    assert client.post(target).status_code == 302
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    client.force_login(participant())
    assert client.post(target).status_code == 404
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    client.force_login(registration.user)
    assert client.get(target).status_code == 405
    assert client.post(target).status_code == 302
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED


def test_calendar_owner_other_anonymous(client):
    registration = RegistrationFactory(status=Status.CONFIRMED)
    target = url("calendar", pk=registration.pk)
    assert client.get(target).status_code == 302
    client.force_login(participant())
    assert client.get(target).status_code == 404
    client.force_login(registration.user)
    response = client.get(target)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    assert (
        b"BEGIN:VEVENT" in response.content
        and registration.consultation.meeting_link.encode() in response.content
    )


def test_time_zone_preference(client):
    user = participant()
    assert client.post(url("time_zone"), {"time_zone": "Africa/Cairo"}).status_code == 302
    assert not TimeZonePreference.objects.exists()
    client.force_login(user)
    response = client.post(url("time_zone"), {"time_zone": "Africa/Cairo", "next": "https://evil.example/"})
    assert response["Location"] == url("my_registrations")
    assert TimeZonePreference.objects.get(user=user).time_zone == "Africa/Cairo"
    client.post(url("time_zone"), {"time_zone": "Not/AZone"})
    assert TimeZonePreference.objects.get(user=user).time_zone == "Africa/Cairo"


# --- Background documents ----------------------------------------------------------------------------------


def test_document_served_as_attachment_only_for_published_consultations(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    consultation = ConsultationFactory()
    document = BackgroundDocument.objects.create(
        consultation=consultation,
        title_en="Concept note",
        file=SimpleUploadedFile("note.pdf", b"%PDF-1.4 test"),
        content_type="application/pdf",
        size=13,
    )
    response = client.get(url("document", slug=consultation.slug, pk=document.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    Consultation.objects.filter(pk=consultation.pk).update(is_published=False)
    assert client.get(url("document", slug=consultation.slug, pk=document.pk)).status_code == 404
    client.force_login(organizer_of(consultation))
    assert client.get(url("document", slug=consultation.slug, pk=document.pk)).status_code == 200


# --- Organizers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["organizer", "balance"])
def test_organizer_pages_rights(client, name):
    consultation = ConsultationFactory(capacity=1)
    RegistrationFactory(consultation=consultation, user=participant(full_name="Amina Diallo"))
    waiting = RegistrationFactory(consultation=consultation, status=Status.WAITLISTED)
    target = url(name, slug=consultation.slug)
    anonymous = client.get(target)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    for outsider in (participant(), StaffUserFactory(), organizer_of(ConsultationFactory())):
        client.force_login(outsider)
        refused = client.get(target)
        assert refused.status_code == 403 and b"Amina Diallo" not in refused.content
    for owner in (organizer_of(consultation), StaffUserFactory(is_superuser=True)):
        client.force_login(owner)
        response = client.get(target)
        assert response.status_code == 200 and response.context["consultation"] == consultation
        if name == "organizer":
            # The participants, by name: what only the consultation's organizers may see.
            assert [r.pk for r in response.context["participants"]][1:] == [waiting.pk]
            assert "Amina Diallo" in response.content.decode()
        else:
            assert response.context["waitlisted_count"] == 1
            assert [r.pk for r in response.context["proposal"]] == []  # no seat is free


def test_organizer_page_shows_balance_and_interpretation(client):
    consultation = ConsultationFactory(capacity=3, balance_targets={"gender": {"woman": 50, "man": 50}})
    RegistrationFactory(consultation=consultation, gender="woman", interpretation_language="fr")
    RegistrationFactory(
        consultation=consultation, gender="man", interpretation_language="fr", region_key="arab"
    )
    RegistrationFactory(consultation=consultation, gender="woman", interpretation_language="ar")
    RegistrationFactory(consultation=consultation, status=Status.WAITLISTED, gender="man")
    client.force_login(organizer_of(consultation))
    response = client.get(url("organizer", slug=consultation.slug))
    assert response.context["interpretation"] == [("ar", 1), ("fr", 2)]
    gender = next(t for t in response.context["tables"] if t.key == "gender")
    woman = next(r for r in gender.rows if r.key == "woman")
    assert (woman.confirmed, woman.target, round(woman.confirmed_share, 2)) == (2, 0.5, 0.67)
    body = response.content.decode()
    assert "<svg" in body and "style=" not in body


def test_organizer_participants_has_no_n_plus_one(client):
    consultation = ConsultationFactory(capacity=50)
    client.force_login(organizer_of(consultation))

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("organizer", slug=consultation.slug)).status_code == 200
        return len(ctx.captured_queries)

    RegistrationFactory(consultation=consultation)
    one = count_queries()
    RegistrationFactory.create_batch(5, consultation=consultation)
    RegistrationFactory.create_batch(3, consultation=consultation, status=Status.WAITLISTED)
    RegistrationFactory(consultation=consultation, user=None, status=Status.CANCELLED)
    assert count_queries() == one


def test_organizer_participants_are_paginated_and_balance_counts_everyone(client):
    consultation = ConsultationFactory(capacity=60)
    client.force_login(organizer_of(consultation))
    # created_at orders confirmed people: number them so the 51st is known.
    for n in range(1, 52):
        RegistrationFactory(
            consultation=consultation,
            user=participant(full_name=f"Person {n:02d}"),
            gender="man" if n == 51 else "woman",
        )
    RegistrationFactory(
        consultation=consultation, user=participant(full_name="Waiting One"), status=Status.WAITLISTED
    )

    first = client.get(url("organizer", slug=consultation.slug))
    names = [r.profile.full_name for r in first.context["participants"]]
    assert names == [f"Person {n:02d}" for n in range(1, 51)]
    assert first.context["page"].paginator.count == 52
    body = first.content.decode()
    assert "Person 51" not in body and "Showing participants 1–50 of 52" in body
    assert 'aria-label="Pages of the participants list"' in body
    assert '<a href="?page=1#participants-heading" aria-current="page">1</a>' in body
    assert '<a href="?page=2#participants-heading" rel="next">Next page</a>' in body
    # The aggregates are over all participants, not over the page.
    assert (first.context["confirmed_count"], first.context["waitlisted_count"]) == (51, 1)
    gender = next(t for t in first.context["tables"] if t.key == "gender")
    assert {r.key: r.confirmed for r in gender.rows} == {"man": 1, "woman": 50}

    second = client.get(url("organizer", slug=consultation.slug), {"page": 2, "lang": "x"})
    rows = second.context["participants"]
    assert [r.profile.full_name for r in rows] == ["Person 51", "Waiting One"]
    assert rows[1].waitlist_position == 1 and rows[0].region_label == "Economic Commission for Africa"
    body = second.content.decode()
    assert "Person 51" in body and "Person 50" not in body
    # Page links keep the other query parameters.
    assert '<a href="?page=1&amp;lang=x#participants-heading" rel="prev">' in body
    assert '<a href="?page=2&amp;lang=x#participants-heading" aria-current="page">2</a>' in body
    assert second.context["confirmed_count"] == 51


def test_organizer_participants_pages_cost_the_same_queries(client):
    consultation = ConsultationFactory(capacity=80)
    client.force_login(organizer_of(consultation))
    RegistrationFactory(consultation=consultation)

    def count_queries(page):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("organizer", slug=consultation.slug), {"page": page}).status_code == 200
        return len(ctx.captured_queries)

    one = count_queries(1)
    RegistrationFactory.create_batch(60, consultation=consultation)
    RegistrationFactory.create_batch(10, consultation=consultation, status=Status.WAITLISTED)
    assert count_queries(1) == count_queries(2) == one


def test_organizer_participants_page_out_of_range_shows_the_last(client):
    consultation = ConsultationFactory()
    registration = RegistrationFactory(consultation=consultation)
    client.force_login(organizer_of(consultation))
    response = client.get(url("organizer", slug=consultation.slug), {"page": "9"})
    assert [r.pk for r in response.context["participants"]] == [registration.pk]
    assert 'aria-label="Pages of the participants list"' not in response.content.decode()


def test_organizer_actions(client):
    consultation = ConsultationFactory(capacity=1, requires_approval=True)
    pending = RegistrationFactory(consultation=consultation, status=Status.PENDING)
    client.force_login(organizer_of(consultation))
    client.post(url("organizer_action", slug=consultation.slug, pk=pending.pk), {"action": "approve"})
    pending.refresh_from_db()
    assert pending.status == Status.CONFIRMED
    waiting = RegistrationFactory(consultation=consultation, status=Status.WAITLISTED)
    response = client.post(
        url("organizer_action", slug=consultation.slug, pk=waiting.pk), {"action": "promote"}, follow=True
    )
    assert "No seat is free" in response.content.decode()
    client.post(url("organizer_action", slug=consultation.slug, pk=pending.pk), {"action": "decline"})
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_organizer_cannot_act_on_another_consultations_registration(client):
    consultation = ConsultationFactory()
    foreign = RegistrationFactory(status=Status.CONFIRMED)
    client.force_login(organizer_of(consultation))
    response = client.post(
        url("organizer_action", slug=consultation.slug, pk=foreign.pk), {"action": "decline"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Status.CONFIRMED


def test_balance_proposal_and_confirmation(client):
    consultation = ConsultationFactory(capacity=3, balance_targets={"gender": {"woman": 50, "man": 50}})
    RegistrationFactory.create_batch(2, consultation=consultation, gender="man")
    first_woman_waits_behind = RegistrationFactory(
        consultation=consultation, status=Status.WAITLISTED, gender="man"
    )
    woman = RegistrationFactory(consultation=consultation, status=Status.WAITLISTED, gender="woman")
    client.force_login(organizer_of(consultation))
    response = client.get(url("balance", slug=consultation.slug))
    assert [r.pk for r in response.context["proposal"]] == [woman.pk]
    gender = next(t for t in response.context["tables"] if t.key == "gender")
    woman_row = next(r for r in gender.rows if r.key == "woman")
    assert (woman_row.confirmed_share, round(woman_row.proposed_share, 2)) == (0.0, 0.33)
    client.post(url("balance", slug=consultation.slug), {"registrations": [woman.pk]})
    woman.refresh_from_db()
    first_woman_waits_behind.refresh_from_db()
    assert woman.status == Status.CONFIRMED and first_woman_waits_behind.status == Status.WAITLISTED


def test_exports_owner_other_anonymous_and_formula_injection(client):
    consultation = ConsultationFactory()
    RegistrationFactory(consultation=consultation, user=participant(full_name='=HYPERLINK("http://x")'))
    target = url("export", slug=consultation.slug, fmt="csv")
    assert client.get(target).status_code == 302
    client.force_login(participant())
    assert client.get(target).status_code == 403
    client.force_login(organizer_of(consultation))
    response = client.get(target)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Name,E-mail")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text
    xlsx = client.get(url("export", slug=consultation.slug, fmt="xlsx"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_export_headers_in_the_organizers_language(client):
    consultation = ConsultationFactory()
    RegistrationFactory(consultation=consultation)
    client.force_login(organizer_of(consultation))
    with translation.override("fr"):
        target = url("export", slug=consultation.slug, fmt="csv")
    response = client.get(target)
    assert response.content.decode("utf-8-sig").splitlines()[0].startswith("Nom,")
