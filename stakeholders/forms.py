from allauth.core import ratelimit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reviews.models import StakeholderGroup

from .models import Organization, StakeholderProfile


class ProfileForm(forms.ModelForm):
    """Validates the profile page; `stakeholders.services.save_profile` does the saving."""

    accept_terms = forms.BooleanField(
        label=_("I accept the terms of participation"),
        help_text=_(
            "The organizers use your profile to run the consultations you register for and to report on "
            "balanced participation, in anonymous counts."
        ),
    )
    public_listing = forms.BooleanField(
        label=_("List my name and organization publicly as a participant"),
        required=False,
        help_text=_("Off unless you turn it on. You can turn it off at any time."),
    )

    class Meta:
        model = StakeholderProfile
        fields = [
            "full_name",
            "organization",
            "organization_name",
            "stakeholder_group",
            "country",
            "gender",
            "preferred_language",
            "interpretation_language",
            "accessibility_needs",
        ]
        widgets = {
            "gender": forms.RadioSelect,
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["organization_name"].widget.attrs["autocomplete"] = "organization"
        organization = self.fields["organization"]
        organization.queryset = Organization.objects.order_by("name")
        organization.empty_label = _("— None: I take part as an individual, or it is not listed —")
        organization.help_text = _("Choose your organization if it is listed; otherwise type its name below.")
        self.fields["stakeholder_group"].queryset = StakeholderGroup.objects.order_by("order", "key")
        self.fields["stakeholder_group"].empty_label = None
        # The model's choices carry a blank "-------" entry for blank=True fields; say what it means instead.
        self.fields["interpretation_language"].choices = [("", _("None needed")), *settings.LANGUAGES]
        # A blank radio would offer "---------" as a gender: the model's choices are the only answers.
        self.fields["gender"].choices = StakeholderProfile.Gender.choices
        if self.instance.pk:
            self.fields["accept_terms"].initial = self.instance.terms_accepted_at is not None
            self.fields["public_listing"].initial = self.instance.public_listing_consent_at is not None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("organization") and cleaned.get("organization_name"):
            self.add_error(
                "organization_name",
                _("Either choose your organization from the list or type its name, not both."),
            )
        return cleaned

    def _post_clean(self):
        # Skip ModelForm's model validation: the profile has no user yet here, and the service validates
        # the saved instance itself.
        pass


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that it is you."),
    )

    def __init__(self, *args, user, request=None, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # Whoever holds a session could otherwise guess the password here without the login's limits.
        if self.request is not None and not ratelimit.consume(
            self.request, action="reauthenticate", user=self.user
        ):
            raise forms.ValidationError(_("Too many attempts. Please try again later."), code="rate_limited")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="wrong_password")
        return password
