"""What other apps' views use to require a completed profile (registering for a consultation, pledging)."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import has_complete_profile


def profile_url(*, next_url: str | None = None) -> str:
    """The profile page, sending the person back to `next_url` once it is saved."""
    url = reverse("stakeholders:profile")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def profile_required(view_func):
    """Anonymous people go to the login page, people without a completed profile to the profile page;
    both come back to the page they asked for."""

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_complete_profile(request.user):
            messages.info(request, _("Please complete your profile first. You will then be taken back."))
            return HttpResponseRedirect(profile_url(next_url=request.get_full_path()))
        return view_func(request, *args, **kwargs)

    return wrapper
