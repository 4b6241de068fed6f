"""Sign-up, verification, login, password reset and rate limits through allauth, as the portal sets them up."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from .factories import PASSWORD, StakeholderProfileFactory, verified_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Migration-Compact-2018"


def signup(client, email, lang="en"):
    return client.post(
        f"/{lang}/accounts/signup/", {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )


def login(client, email, password, lang="en", **extra):
    return client.post(f"/{lang}/accounts/login/", {"login": email, "password": password, **extra})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def link_in(body: str, path_start: str) -> str:
    return re.search(rf"https?://testserver({re.escape(path_start)}\S+)", body).group(1)


# --- sign-up and verification ---------------------------------------------------------------------------


def test_signup_then_verification_then_login(client, mailoutbox):
    response = signup(client, "new.person@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert not logged_in(client)
    user = get_user_model().objects.get(email="new.person@example.org")
    assert user.username.startswith("u-") and "new.person" not in user.username

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new.person@example.org"]
    assert message.subject == "Confirm your e-mail address"
    link = link_in(message.body, "/en/accounts/confirm-email/")

    # Before the address is confirmed, the right password does not log in.
    response = login(client, "new.person@example.org", NEW_PASSWORD)
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert not logged_in(client)

    page = client.get(link).content.decode()
    assert "Please confirm that new.person@example.org is your e-mail address." in page
    client.post(link)
    assert EmailAddress.objects.get(email="new.person@example.org").verified
    client.logout()

    response = login(client, "new.person@example.org", NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/en/"
    assert logged_in(client)


def test_verification_email_and_link_keep_the_signup_language(client, mailoutbox):
    signup(client, "arabic@example.org", lang="ar")
    message = mailoutbox[0]
    assert "/ar/accounts/confirm-email/" in message.body
    assert "/en/accounts/" not in message.body
    assert message.subject == "أكِّد عنوان بريدك الإلكتروني"
    assert "مرحبًا،" in message.body


def test_resent_verification_follows_the_profile_language(client, mailoutbox):
    user = get_user_model().objects.create_user(username="u-x", email="late@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    StakeholderProfileFactory(user=user, preferred_language="fr")
    login(client, "late@example.org", PASSWORD, lang="en")
    message = mailoutbox[0]
    assert "/fr/accounts/confirm-email/" in message.body
    assert message.subject == "Confirmez votre adresse e-mail"


def test_invalid_confirmation_link_explains_what_to_do(client):
    html = client.get("/fr/accounts/confirm-email/not-a-key/").content.decode()
    assert "Ce lien de confirmation a expiré ou n’est pas valide." in html


# --- enumeration prevention ----------------------------------------------------------------------------


def _page(response, client, email):
    """What the person sees: where they are sent and the page there, with the address they typed and the
    per-request CSRF token taken out."""
    html = client.get(response["Location"]).content.decode().replace(email, "EMAIL")
    return response.status_code, response["Location"], re.sub(r'value="[^"]{40,}"', "", html)


def test_signup_with_an_existing_email_looks_like_a_new_signup(client, mailoutbox):
    verified_user(email="taken@example.org")
    existing = _page(signup(client, "taken@example.org"), client, "taken@example.org")
    fresh = _page(signup(client, "fresh@example.org"), client, "fresh@example.org")
    assert "Confirmation email sent to EMAIL." in fresh[2]
    assert existing == fresh
    # Only the owner of the address learns, by e-mail, that the account exists.
    assert [m.to for m in mailoutbox] == [["taken@example.org"], ["fresh@example.org"]]
    assert get_user_model().objects.filter(email="taken@example.org").count() == 1


def test_password_reset_for_an_unknown_email_looks_the_same(client, mailoutbox):
    verified_user(email="known@example.org")
    known = _page(
        client.post("/en/accounts/password/reset/", {"email": "known@example.org"}),
        client,
        "known@example.org",
    )
    unknown = _page(
        client.post("/en/accounts/password/reset/", {"email": "nobody@example.org"}),
        client,
        "nobody@example.org",
    )
    assert known == unknown
    assert known[1] == "/en/accounts/password/reset/done/"
    assert len(mailoutbox) == 2


# --- password reset -------------------------------------------------------------------------------------


def test_password_reset_email_is_in_the_users_language_and_the_link_works(client, mailoutbox):
    user = verified_user(email="reset@example.org")
    StakeholderProfileFactory(user=user, preferred_language="fr")
    client.post("/en/accounts/password/reset/", {"email": "reset@example.org"})
    message = mailoutbox[0]
    assert "Bonjour" in message.body
    link = link_in(message.body, "/fr/accounts/password/reset/key/")

    response = client.get(link)  # allauth moves the key into the session and redirects
    form_url = response["Location"]
    assert form_url.startswith("/fr/accounts/password/reset/key/")
    html = client.get(form_url).content.decode()
    assert "Choisissez un nouveau mot de passe" in html
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == "/fr/accounts/password/reset/key/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


# --- login: language and rate limits --------------------------------------------------------------------


def test_login_lands_in_the_preferred_language(client):
    user = verified_user(email="ar@example.org")
    StakeholderProfileFactory(user=user, preferred_language="ar")
    response = login(client, "ar@example.org", PASSWORD, lang="en")
    assert response["Location"] == "/ar/"
    assert response.cookies["django_language"].value == "ar"


def test_login_keeps_next_but_in_the_preferred_language(client):
    user = verified_user(email="fr@example.org")
    StakeholderProfileFactory(user=user, preferred_language="fr")
    response = login(client, "fr@example.org", PASSWORD, lang="en", next="/en/profile/?step=2")
    assert response["Location"] == "/fr/profile/?step=2"


def test_login_without_a_profile_stays_in_the_url_language(client):
    verified_user(email="plain@example.org")
    response = login(client, "plain@example.org", PASSWORD, lang="fr")
    assert response["Location"] == "/fr/"


def test_sixth_failed_login_on_one_account_is_refused(client):
    verified_user(email="target@example.org")
    for _attempt in range(5):
        html = login(client, "target@example.org", "wrong-password").content.decode()
        assert "not correct" in html
    # Even the right password is refused now: the account is locked for five minutes.
    response = login(client, "target@example.org", PASSWORD)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert not logged_in(client)


def test_failed_logins_on_another_account_do_not_lock_this_one(client):
    verified_user(email="target@example.org")
    verified_user(email="bystander@example.org")
    for _attempt in range(5):
        login(client, "target@example.org", "wrong-password")
    login(client, "bystander@example.org", PASSWORD)
    assert logged_in(client)


def test_rate_limit_message_is_translated(client):
    verified_user(email="target@example.org")
    for _attempt in range(5):
        login(client, "target@example.org", "wrong", lang="fr")
    html = login(client, "target@example.org", PASSWORD, lang="fr").content.decode()
    assert "Trop de tentatives de connexion échouées" in html


# --- admin login goes through allauth -------------------------------------------------------------------


def test_admin_login_page_redirects_to_the_rate_limited_login(client):
    response = client.get("/en/admin/")
    assert response["Location"] == "/en/admin/login/?next=/en/admin/"
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=%2Fen%2Fadmin%2F"


def test_posting_to_the_admin_form_cannot_bypass_allauth(client, staff_user):
    EmailAddress.objects.create(user=staff_user, email=staff_user.email, verified=True, primary=True)
    response = client.post(
        "/en/admin/login/?next=/en/admin/", {"username": staff_user.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/")
    assert not logged_in(client)


def test_staff_login_through_allauth_opens_the_admin(client, staff_user):
    EmailAddress.objects.create(user=staff_user, email=staff_user.email, verified=True, primary=True)
    response = login(client, staff_user.email, PASSWORD, next="/en/admin/")
    assert response["Location"] == "/en/admin/"
    assert client.get("/en/admin/").status_code == 200


def test_sixth_failed_admin_login_is_refused(client, staff_user):
    EmailAddress.objects.create(user=staff_user, email=staff_user.email, verified=True, primary=True)
    for _attempt in range(5):
        login(client, staff_user.email, "wrong-password", next="/en/admin/")
    response = login(client, staff_user.email, PASSWORD, next="/en/admin/")
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/en/admin/").status_code == 302


def test_logged_in_non_staff_cannot_open_the_admin_login(client, user):
    client.force_login(user)
    assert client.get("/en/admin/login/").status_code == 403


# --- pages in every language ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "lang", "direction", "heading"),
    [
        ("/ar/accounts/login/", "ar", "rtl", "تسجيل الدخول"),
        ("/fr/accounts/login/", "fr", "ltr", "Se connecter"),
        ("/ar/accounts/signup/", "ar", "rtl", "إنشاء حساب"),
        ("/fr/accounts/signup/", "fr", "ltr", "Créer un compte"),
        ("/ar/accounts/password/reset/", "ar", "rtl", "إعادة تعيين كلمة المرور"),
        ("/fr/accounts/password/reset/", "fr", "ltr", "Réinitialiser votre mot de passe"),
        ("/ar/accounts/confirm-email/", "ar", "rtl", "تحقّق من بريدك الإلكتروني"),
        ("/fr/accounts/password/reset/done/", "fr", "ltr", "Consultez votre messagerie"),
    ],
)
def test_account_pages_in_arabic_and_french(client, path, lang, direction, heading):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert re.search(r"<h1>(.*?)</h1>", html).group(1) == heading
    assert "/static/css/stakeholders.css" in html


def test_login_form_fields_are_labelled(client):
    html = client.get("/en/accounts/login/").content.decode()
    assert '<label for="id_login">' in html and 'id="id_login"' in html
    assert '<label for="id_password">' in html


def test_login_errors_are_announced(client):
    verified_user(email="someone@example.org")
    html = login(client, "someone@example.org", "wrong").content.decode()
    assert 'role="alert"' in html


def test_unoverridden_allauth_pages_use_the_portal_layout(client, user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    html = client.get("/ar/accounts/password/change/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'class="site-header"' in html


def test_password_rules_are_explained_in_arabic(client):
    response = client.post(
        "/ar/accounts/signup/", {"email": "short@example.org", "password1": "short", "password2": "short"}
    )
    html = response.content.decode()
    assert "كلمة المرور هذه قصيرة جدًا. يجب ألّا تقل عن 10 أحرف." in html
    assert "too short" not in html
