"""allauth adapter: e-mails and links in the person's language, pseudonymous usernames, and landing in the
person's language after login."""

import secrets
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation

from .models import StakeholderProfile

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def preferred_language(user) -> str | None:
    """The language the person chose in their profile, or None before they have one."""
    if user is None or user.pk is None:
        return None
    return (
        StakeholderProfile.objects.filter(user_id=user.pk)
        .values_list("preferred_language", flat=True)
        .first()
    )


def url_in_language(url: str, language: str) -> str:
    """`url` with its language prefix (/en/…) swapped for `language`; URLs without a prefix are kept."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    if len(segments) > 2 and segments[0] == "" and segments[1] in LANGUAGE_CODES:
        segments[1] = language
        return urlunsplit(parts._replace(path="/".join(segments)))
    return url


def user_display(user) -> str:
    # Usernames are random pseudonyms (see populate_username); people know themselves by their e-mail.
    return user.email or user.get_username()


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user) -> None:
        # allauth would derive the username from the e-mail's local part ("jane.doe"). Usernames end up in
        # the append-only audit log, which must not identify a person after they delete their account, so
        # they are random instead.
        if not user.username:
            user.username = f"u-{secrets.token_hex(8)}"

    def _language_for(self, user) -> str:
        return preferred_language(user) or translation.get_language() or settings.LANGUAGE_CODE

    def send_confirmation_mail(self, request, emailconfirmation, signup: bool) -> None:
        # The link is reversed inside the override, so it carries the person's language prefix too.
        with translation.override(self._language_for(emailconfirmation.email_address.user)):
            super().send_confirmation_mail(request, emailconfirmation, signup)

    def send_password_reset_mail(self, user, email: str, context: dict) -> None:
        with translation.override(self._language_for(user)):
            context = {
                **context,
                "password_reset_url": self.get_reset_password_from_key_url(
                    f"{context['uid']}-{context['key']}"
                ),
            }
            super().send_password_reset_mail(user, email, context)

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        with translation.override(self._language_for(user)):
            super().send_notification_mail(template_prefix, user, context=context, email=email)

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        language = preferred_language(user)
        if language and isinstance(response, HttpResponseRedirect):
            if language != translation.get_language():
                response["Location"] = url_in_language(response["Location"], language)
            # A later visit to "/" (no prefix) then also lands in their language.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
