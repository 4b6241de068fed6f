"""Messages the sign-up form shows that Django 5.2 ships without an Arabic translation: its ar catalogue
still has the older "%(min_length)d" wording of the password-length error, so Arabic users would read it in
English. Marking the current wording here puts it in this app's catalogue, which translates it."""

from django.utils.translation import ngettext_lazy

PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    "min_length",
)
