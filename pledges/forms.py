"""The pledge form's steps, the written-input form, the progress update and the secretariat's reason.

Each form's cleaned data is handed to one service call as `changes`; texts are stored in the language the
submitter says they write in, whatever language the page is shown in.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.models import GuidingPrinciple, Objective, PledgeForm, Region, RegionalReview, StakeholderGroup
from stakeholders.models import Organization

from .currencies import CURRENCY_CHOICES
from .models import Pledge, Submission, SubmissionStatus
from .traffic_light import ImplementationStatus
from .validators import normalise_text, validate_pdf_document, validate_text_length

TEXT_HELP = _("Between 300 and 3,000 characters.")
DOCUMENT_HELP = _("One PDF file, up to 25 MB.")
# Read by static/js/pledges.js for its live count: {count}, {min} and {max} are filled in by the script.
COUNTER_TEMPLATE = _("Characters: {count} (between {min} and {max} needed)")
COUNTED_TEXTAREA = {
    "rows": 12,
    "data-count-min": 300,
    "data-count-max": 3000,
    "data-count-template": COUNTER_TEMPLATE,
}


class ObjectiveChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Objective) -> str:
        return f"{obj.number}. {obj.title}"


class SubmissionTextsMixin:
    """Shows the stored texts in the submission's own language when editing."""

    text_field_names: tuple[str, ...] = ()

    @classmethod
    def initial_for(cls, submission: Submission) -> dict[str, Any]:
        language = submission.original_language
        initial: dict[str, Any] = {"original_language": language}
        for name in cls.text_field_names:
            initial[name] = getattr(submission, f"{name}_{language}") or ""
        return initial


class DocumentFieldsMixin(forms.Form):
    document = forms.FileField(
        label=_("Supporting document (PDF)"),
        required=False,
        help_text=DOCUMENT_HELP,
        validators=[validate_pdf_document],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    remove_document = forms.BooleanField(label=_("Remove the current document"), required=False)

    def document_change(self) -> Any:
        """The service's `document` value: a new upload, False to remove, None to keep."""
        if self.cleaned_data.get("document"):
            return self.cleaned_data["document"]
        if self.cleaned_data.get("remove_document"):
            return False
        return None


class PledgeBasicsForm(SubmissionTextsMixin, forms.Form):
    text_field_names = ("title", "description")

    original_language = forms.ChoiceField(
        label=_("Language you write in"),
        choices=settings.LANGUAGES,
        help_text=_("The pledge is published in this language; translations by the secretariat are marked."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs=COUNTED_TEXTAREA),
        help_text=TEXT_HELP,
        validators=[validate_text_length],
    )
    form = forms.ModelChoiceField(
        label=_("Form of the pledge"),
        queryset=PledgeForm.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    objectives = ObjectiveChoiceField(
        label=_("GCM objectives it advances"),
        queryset=Objective.objects.order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one."),
    )
    principles = forms.ModelMultipleChoiceField(
        label=_("Guiding principles it advances"),
        queryset=GuidingPrinciple.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_description(self) -> str:
        return normalise_text(self.cleaned_data["description"])

    @classmethod
    def initial_for(cls, submission: Pledge) -> dict[str, Any]:
        return super().initial_for(submission) | {
            "form": submission.form_id,
            "objectives": list(submission.objectives.all()),
            "principles": list(submission.principles.all()),
        }

    def changes(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PledgeMeasuresForm(forms.Form):
    reviews = forms.ModelMultipleChoiceField(
        label=_("Regional reviews it relates to"),
        queryset=RegionalReview.objects.filter(is_published=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions it relates to"),
        queryset=Region.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    indicator = forms.CharField(
        label=_("Measurable indicator"),
        max_length=500,
        help_text=_("How you and others will know how far the pledge has come."),
    )
    baseline = forms.CharField(label=_("Baseline"), max_length=500, required=False)
    target = forms.CharField(label=_("Target"), max_length=500)
    start_date = forms.DateField(label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        help_text=_("Financial pledges only."),
    )
    currency = forms.ChoiceField(
        label=_("Currency (ISO 4217 code)"), choices=[("", "—"), *CURRENCY_CHOICES], required=False
    )
    partner_organizations = forms.ModelMultipleChoiceField(
        label=_("Partner organizations (joint pledge)"), queryset=Organization.objects.all(), required=False
    )
    # Not named "matches": a form control of that name would shadow the <form> element's matches() method in
    # the browser and break scripts (accessibility checkers among them) that call it.
    matched_pledge = forms.ModelChoiceField(
        label=_("This pledge matches the pledge"),
        queryset=Pledge.objects.filter(status=SubmissionStatus.PUBLISHED).select_related("organization"),
        required=False,
        help_text=_("For a matching pledge: the published pledge it supports."),
    )

    def __init__(self, *args, pledge: Pledge, **kwargs):
        self.pledge = pledge
        super().__init__(*args, **kwargs)
        self.fields["matched_pledge"].queryset = self.fields["matched_pledge"].queryset.exclude(pk=pledge.pk)
        self.fields["partner_organizations"].queryset = Organization.objects.exclude(
            pk=pledge.organization_id
        )

    @classmethod
    def initial_for(cls, pledge: Pledge) -> dict[str, Any]:
        return {
            "reviews": list(pledge.reviews.all()),
            "regions": list(pledge.regions.all()),
            "indicator": pledge.indicator,
            "baseline": pledge.baseline,
            "target": pledge.target,
            "start_date": pledge.start_date,
            "end_date": pledge.end_date,
            "amount": pledge.amount,
            "currency": pledge.currency,
            "partner_organizations": list(pledge.partner_organizations.all()),
            "matched_pledge": pledge.matches_id,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        if data.get("amount") is not None and not data.get("currency"):
            self.add_error("currency", _("Give the currency of the amount."))
        if self.pledge.is_financial and data.get("amount") is None:
            self.add_error("amount", _("A financial pledge states its amount."))
        return data

    def changes(self) -> dict[str, Any]:
        changes = dict(self.cleaned_data)
        changes["matches"] = changes.pop("matched_pledge", None)
        return changes


class PledgeContactForm(DocumentFieldsMixin):
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        help_text=_("Never published: seen by the secretariat only."),
    )
    contact_email = forms.EmailField(label=_("Contact e-mail"))

    field_order = ["contact_name", "contact_email", "document", "remove_document"]

    @classmethod
    def initial_for(cls, pledge: Pledge) -> dict[str, Any]:
        return {"contact_name": pledge.contact_name, "contact_email": pledge.contact_email}

    def changes(self) -> dict[str, Any]:
        return {
            "contact_name": self.cleaned_data["contact_name"],
            "contact_email": self.cleaned_data["contact_email"],
            "document": self.document_change(),
        }


class WrittenInputForm(SubmissionTextsMixin, DocumentFieldsMixin):
    text_field_names = ("title", "text")

    original_language = forms.ChoiceField(label=_("Language you write in"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=300)
    stakeholder_group = forms.ModelChoiceField(
        label=_("Stakeholder group"), queryset=StakeholderGroup.objects.all(), empty_label=None
    )
    objectives = ObjectiveChoiceField(
        label=_("GCM objectives concerned"),
        queryset=Objective.objects.order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one."),
    )
    text = forms.CharField(
        label=_("Your input"),
        required=False,
        widget=forms.Textarea(attrs=COUNTED_TEXTAREA),
        help_text=_("Between 300 and 3,000 characters, or attach your input as a PDF below, or both."),
    )

    field_order = [
        "original_language",
        "title",
        "stakeholder_group",
        "objectives",
        "text",
        "document",
        "remove_document",
    ]

    def __init__(self, *args, has_document: bool = False, **kwargs):
        self.has_document = has_document
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, submission) -> dict[str, Any]:
        return super().initial_for(submission) | {
            "stakeholder_group": submission.stakeholder_group_id,
            "objectives": list(submission.objectives.all()),
        }

    def clean_text(self) -> str:
        text = normalise_text(self.cleaned_data.get("text", ""))
        if text:
            validate_text_length(text)
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        keeps_document = (self.has_document and not data.get("remove_document")) or data.get("document")
        if not data.get("text") and not keeps_document and "text" not in self.errors:
            self.add_error("text", _("Write your input or attach it as a PDF."))
        return data

    def changes(self) -> dict[str, Any]:
        data = {
            name: self.cleaned_data[name]
            for name in ("original_language", "title", "text", "stakeholder_group")
        }
        return data | {"objectives": self.cleaned_data["objectives"], "document": self.document_change()}


class ProgressUpdateForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    implementation_status = forms.ChoiceField(
        label=_("Implementation status"), choices=ImplementationStatus.choices, widget=forms.RadioSelect
    )
    narrative = forms.CharField(
        label=_("What happened since the last update"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Up to 3,000 characters."),
    )
    indicator_value = forms.DecimalField(
        label=_("Current value of the indicator"), required=False, max_digits=18, decimal_places=2
    )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return date


class DecisionReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        help_text=_(
            "Sent to the submitter by e-mail in the language they wrote in, and kept in the audit log."
        ),
    )

    def __init__(self, *args, reason_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
