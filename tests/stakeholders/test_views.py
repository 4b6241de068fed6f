import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from gcm_portal.models import AuditEntry
from stakeholders.decorators import profile_required, profile_url
from stakeholders.models import StakeholderProfile
from tests.factories import stakeholder_group

from .factories import PASSWORD, StakeholderProfileFactory, verified_user

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "full_name": "Karim Benali",
        "stakeholder_group": stakeholder_group("academia").pk,
        "country": "MA",
        "gender": "man",
        "preferred_language": "fr",
        "interpretation_language": "ar",
        "accessibility_needs": "",
        "organization": "",
        "organization_name": "Université Mohammed V",
        "accept_terms": "on",
    }
    return data | overrides


# --- /profile/ ------------------------------------------------------------------------------------------


def test_profile_page_sends_anonymous_people_to_login(client):
    response = client.get("/en/profile/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/profile/"


def test_profile_page_for_a_new_person_offers_an_empty_form_in_their_language(client, user):
    client.force_login(user)
    response = client.get("/fr/profile/")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].initial["preferred_language"] == "fr"
    assert response.context["profile"] is None
    assert 'name="full_name"' in html and 'value="' not in html.split('name="full_name"')[1].split(">")[0]
    assert "Télécharger mes données" not in html


def test_owner_sees_their_profile_prefilled(client, user):
    StakeholderProfileFactory(user=user, full_name="Amina Haddad", country="JO", accessibility_needs="Ramp")
    client.force_login(user)
    html = client.get("/en/profile/").content.decode()
    assert 'value="Amina Haddad"' in html
    assert '<option value="JO" selected>' in html
    assert "Ramp</textarea>" in html
    assert (
        'name="accept_terms" checked' in html
        or "checked" in html.split('name="accept_terms"')[1].split(">")[0]
    )


def test_other_user_never_sees_someone_elses_profile(client, user, other_user):
    StakeholderProfileFactory(user=user, full_name="Amina Haddad", accessibility_needs="Ramp")
    client.force_login(other_user)
    html = client.get("/en/profile/").content.decode()
    assert "Amina Haddad" not in html and "Ramp" not in html


def test_posting_the_form_creates_the_profile(client, user):
    client.force_login(user)
    response = client.post("/en/profile/", form_data())
    assert response.status_code == 302
    assert response["Location"] == "/en/profile/"
    profile = StakeholderProfile.objects.get(user=user)
    assert profile.full_name == "Karim Benali"
    assert profile.organization_name == "Université Mohammed V"
    assert profile.preferred_language == "fr"
    assert profile.interpretation_language == "ar"
    assert profile.terms_accepted_at is not None
    assert profile.public_listing_consent_at is None
    assert AuditEntry.objects.filter(action="profile.create", actor=user).count() == 1


def test_form_errors_are_announced_and_nothing_is_saved(client, user):
    client.force_login(user)
    response = client.post("/en/profile/", form_data(full_name="", accept_terms=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#id_full_name"' in html and 'href="#id_accept_terms"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_full_name_error"' in html
    assert not StakeholderProfile.objects.filter(user=user).exists()


def test_after_saving_the_person_goes_back_to_next(client, user):
    client.force_login(user)
    response = client.post("/en/profile/?next=/en/consultations/decent-work/register/", form_data())
    assert response["Location"] == "/en/consultations/decent-work/register/"


def test_next_is_kept_through_a_failed_submission(client, user):
    client.force_login(user)
    html = client.get("/en/profile/?next=/en/consultations/x/").content.decode()
    assert '<input type="hidden" name="next" value="/en/consultations/x/">' in html
    response = client.post("/en/profile/", form_data(next="/en/consultations/x/"))
    assert response["Location"] == "/en/consultations/x/"


def test_next_to_another_site_is_ignored(client, user):
    client.force_login(user)
    response = client.post("/en/profile/?next=https://evil.example.com/", form_data())
    assert response["Location"] == "/en/profile/"


def test_choosing_an_organization_and_typing_one_is_refused(client, user):
    from stakeholders.models import Organization

    organization = Organization.objects.create(name="Caritas", name_en="Caritas")
    client.force_login(user)
    response = client.post("/en/profile/", form_data(organization=organization.pk))
    assert response.status_code == 200
    assert "not both" in response.content.decode()


def test_profile_page_in_arabic_is_rtl(client, user):
    client.force_login(user)
    html = client.get("/ar/profile/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1>ملفك الشخصي</h1>" in html
    assert "/static/css/stakeholders.css" in html


# --- profile_required -----------------------------------------------------------------------------------


@profile_required
def register_view(request):
    return HttpResponse("registered")


def _request(user, path="/en/consultations/decent-work/register/"):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_profile_required_sends_anonymous_people_to_login():
    response = register_view(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=/en/consultations/decent-work/register/"


def test_profile_required_sends_people_without_a_profile_to_the_profile_page(user):
    response = register_view(_request(user))
    assert response.status_code == 302
    assert response["Location"] == "/en/profile/?next=%2Fen%2Fconsultations%2Fdecent-work%2Fregister%2F"


def test_profile_required_lets_people_with_a_profile_through(user):
    StakeholderProfileFactory(user=user)
    response = register_view(_request(user))
    assert response.content == b"registered"


def test_profile_url_without_next():
    assert profile_url() == "/en/profile/"


# --- /profile/my-data/ ----------------------------------------------------------------------------------


def test_my_data_refuses_anonymous(client):
    response = client.get("/en/profile/my-data/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_my_data_downloads_the_owners_data_as_json(client):
    user = verified_user(email="amina@example.org")
    StakeholderProfileFactory(user=user, full_name="أمينة حداد", public_listing_consent_at=None)
    client.force_login(user)
    response = client.get("/en/profile/my-data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "amina@example.org"
    assert data["profile"]["full_name"] == "أمينة حداد"
    assert "أمينة حداد" in response.content.decode()  # readable, not \\u-escaped
    assert data["consents"]["public_listing_consent_at"] is None


def test_my_data_of_another_user_holds_only_their_own(client, other_user):
    owner = verified_user(email="amina@example.org")
    StakeholderProfileFactory(user=owner, full_name="Amina Haddad")
    client.force_login(other_user)
    body = client.get("/en/profile/my-data/").content.decode()
    assert "amina@example.org" not in body and "Amina Haddad" not in body
    assert json.loads(body)["account"]["email"] == other_user.email


# --- /profile/delete/ -----------------------------------------------------------------------------------


def test_delete_page_refuses_anonymous(client):
    response = client.post("/en/profile/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")


def test_delete_with_a_wrong_password_changes_nothing(client):
    user = verified_user()
    StakeholderProfileFactory(user=user)
    client.force_login(user)
    response = client.post("/en/profile/delete/", {"password": "not-my-password"})
    assert response.status_code == 200
    assert "The password is not correct." in response.content.decode()
    user.refresh_from_db()
    assert user.is_active and StakeholderProfile.objects.filter(user=user).exists()


def test_delete_with_the_password_erases_logs_out_and_tells_the_person(client):
    user = verified_user()
    StakeholderProfileFactory(user=user)
    client.force_login(user)
    response = client.post("/fr/profile/delete/", {"password": PASSWORD}, follow=True)
    assert response.redirect_chain == [("/fr/", 302)]
    assert "_auth_user_id" not in client.session
    assert "Votre compte et vos données personnelles ont été supprimés" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active and user.email == ""
    assert not StakeholderProfile.objects.filter(user=user).exists()
    # The old password no longer opens anything.
    assert not client.login(username=user.username, password=PASSWORD)


def test_deleting_only_ever_touches_the_logged_in_account(client, other_user):
    user = verified_user()
    client.force_login(user)
    client.post("/en/profile/delete/", {"password": PASSWORD, "user": other_user.pk})
    other_user.refresh_from_db()
    assert other_user.is_active and other_user.email


def test_password_guessing_on_the_delete_page_is_limited(client):
    user = verified_user()
    client.force_login(user)
    for _attempt in range(10):
        client.post("/en/profile/delete/", {"password": "guess"})
    response = client.post("/en/profile/delete/", {"password": PASSWORD})
    assert "Too many attempts" in response.content.decode()
    user.refresh_from_db()
    assert user.is_active
