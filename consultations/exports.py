"""Participant lists for organizers, as CSV and XLSX (django-import-export), with headers in the organizer's
language and every cell that a spreadsheet would read as a formula neutralised."""

from dataclasses import dataclass
from datetime import UTC

from django.utils.translation import gettext_lazy as _
from import_export import resources
from import_export.fields import Field

from . import selectors
from .models import Registration

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a text cell a spreadsheet would evaluate with an apostrophe, so it shows as the text it is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class ParticipantResource(resources.Resource):
    """Exports the rows of selectors.participants (which carry the profile and readable labels). The
    accessibility needs column is there only when `include_accessibility` (see
    permissions.can_see_accessibility_needs): health-adjacent data leaves the site for fewer people."""

    name = Field(column_name=_("Name"))
    email = Field(column_name=_("E-mail"))
    organization = Field(column_name=_("Organization"))
    stakeholder_group = Field(column_name=_("Stakeholder group"))
    country = Field(column_name=_("Country"))
    region = Field(column_name=_("Region"))
    gender = Field(column_name=_("Gender"))
    interpretation = Field(column_name=_("Interpretation language"))
    accessibility = Field(column_name=_("Accessibility needs"))
    status = Field(column_name=_("Status"))
    waitlist_position = Field(column_name=_("Waiting list position"))
    registered_at = Field(column_name=_("Registered at (UTC)"))

    def __init__(self, *, include_accessibility: bool = False, **kwargs):
        super().__init__(**kwargs)
        if not include_accessibility:
            # self.fields is this instance's copy: the class keeps the column for the next export.
            del self.fields["accessibility"]

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))

    @staticmethod
    def _profile(registration: Registration):
        return getattr(registration, "profile", None)

    def dehydrate_name(self, registration):
        profile = self._profile(registration)
        return profile.full_name if profile else str(_("(account deleted)"))

    def dehydrate_email(self, registration):
        return registration.user.email if registration.user_id else ""

    def dehydrate_organization(self, registration):
        profile = self._profile(registration)
        if profile is None:
            return ""
        return profile.organization.name if profile.organization_id else profile.organization_name

    def dehydrate_stakeholder_group(self, registration):
        return registration.group_label

    def dehydrate_country(self, registration):
        profile = self._profile(registration)
        return str(profile.country.name) if profile else ""

    def dehydrate_region(self, registration):
        return registration.region_label

    def dehydrate_gender(self, registration):
        return registration.gender_label

    def dehydrate_interpretation(self, registration):
        return registration.interpretation_language

    def dehydrate_accessibility(self, registration):
        profile = self._profile(registration)
        return profile.accessibility_needs if profile else ""

    def dehydrate_status(self, registration):
        return str(registration.get_status_display())

    def dehydrate_waitlist_position(self, registration):
        return getattr(registration, "waitlist_position", None) or ""

    def dehydrate_registered_at(self, registration):
        return registration.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str


def export_participants(*, consultation_id: int, fmt: str, include_accessibility: bool) -> ExportFile:
    """Every participant of a consultation as a CSV or XLSX file, in a constant number of queries."""
    resource = ParticipantResource(include_accessibility=include_accessibility)
    dataset = resource.export(selectors.participants(consultation_id=consultation_id))
    if fmt == "xlsx":
        return ExportFile(dataset.xlsx, XLSX_CONTENT_TYPE)
    # The byte-order mark lets spreadsheet programs read Arabic and French names as UTF-8.
    return ExportFile(("\ufeff" + dataset.csv).encode("utf-8"), "text/csv; charset=utf-8")
