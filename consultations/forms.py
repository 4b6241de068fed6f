from functools import cache
from zoneinfo import available_timezones

import filetype
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import BackgroundDocument, Consultation

# Background documents: what organizers share, recognised by content, not by the name they were given.
DOCUMENT_TYPES = {
    "application/pdf": _("PDF"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _("Word document"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _("Excel workbook"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": _("PowerPoint presentation"),
    "application/vnd.oasis.opendocument.text": _("OpenDocument text"),
    "application/vnd.oasis.opendocument.spreadsheet": _("OpenDocument spreadsheet"),
    "image/png": _("PNG image"),
    "image/jpeg": _("JPEG image"),
}
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    # Region/City names only: the legacy aliases (EST5EDT, Etc/GMT+3 …) confuse more than they help.
    names = sorted(
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/"))
    )
    return [
        ("", _("Choose a time zone")),
        ("UTC", "UTC"),
        ("GMT", "GMT"),
        *((n, n.replace("_", " ")) for n in names),
    ]


def interpretation_choices():
    return [("", _("None needed")), *settings.LANGUAGES]


class RegistrationForm(forms.Form):
    interpretation_language = forms.ChoiceField(
        label=_("Interpretation language you need"), choices=interpretation_choices, required=False
    )


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(label=_("Show times also in"), choices=time_zone_choices)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class OrganizerActionForm(forms.Form):
    ACTIONS = [
        ("approve", _("Approve")),
        ("promote", _("Promote")),
        ("decline", _("Decline")),
        ("cancel", _("Cancel")),
        ("attended", _("Attended")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)


class ProposalForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many people to propose"), min_value=1, max_value=1000, required=False
    )


class PromoteSelectedForm(forms.Form):
    registrations = forms.TypedMultipleChoiceField(coerce=int, label=_("People to promote"))

    def __init__(self, *args, registration_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrations"].choices = [(pk, pk) for pk in registration_ids]


def inspect_document(upload) -> tuple[str, int]:
    """(content type, size) of an uploaded background document, judged by its bytes. Raises ValidationError
    for anything not in DOCUMENT_TYPES or too large."""
    if upload.size > DOCUMENT_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(DOCUMENT_MAX_BYTES)}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in DOCUMENT_TYPES:
        raise forms.ValidationError(
            _("This kind of file cannot be shared. Upload a PDF, an office document or an image.")
        )
    return kind.mime, upload.size


class BackgroundDocumentForm(forms.ModelForm):
    class Meta:
        model = BackgroundDocument
        # content_type and size are not typed in: they are measured from the file.
        fields = ("consultation", "order", "title", "link", "file")

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload and hasattr(upload, "content_type"):
            cleaned["content_type"], cleaned["size"] = inspect_document(upload)
            self.instance.content_type, self.instance.size = cleaned["content_type"], cleaned["size"]
        return cleaned


class ConsultationAdminForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = "__all__"  # noqa: DJ007 — an admin form: the ModelAdmin (and modeltranslation) pick the fields

    def clean_status(self):
        from .services import CONSULTATION_TRANSITIONS

        status = self.cleaned_data["status"]
        current = self.instance.status if self.instance.pk else Consultation.Status.DRAFT
        if status != current and status not in CONSULTATION_TRANSITIONS[current]:
            raise forms.ValidationError(
                _("A consultation cannot go from “%(old)s” to “%(new)s”.")
                % {"old": Consultation.Status(current).label, "new": Consultation.Status(status).label}
            )
        return status

    def clean_capacity(self):
        from .services import CapacityBelowSeats, check_capacity

        capacity = self.cleaned_data["capacity"]
        try:
            check_capacity(consultation_id=self.instance.pk, capacity=capacity)
        except CapacityBelowSeats as exc:
            raise forms.ValidationError(exc.message, code="below_seats") from exc
        return capacity

    def clean_time_zone(self):
        name = self.cleaned_data["time_zone"]
        if name not in available_timezones():
            raise forms.ValidationError(_("Enter a time zone such as Africa/Nairobi, Asia/Beirut or UTC."))
        return name

    def clean_interpretation_languages(self):
        codes = self.cleaned_data.get("interpretation_languages") or []
        known = dict(settings.LANGUAGES)
        if not isinstance(codes, list) or any(code not in known for code in codes):
            raise forms.ValidationError(
                _("List language codes among: %(codes)s.") % {"codes": ", ".join(known)}
            )
        return codes

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        starts = cleaned.get("starts_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        if closes and starts and closes > starts:
            self.add_error(
                "registration_closes_at", _("Registration must close before the consultation starts.")
            )
        return cleaned
