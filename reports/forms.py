from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .documents import SECTION_HEADINGS
from .models import ConsultationSummary


class TranslatedTextsForm(forms.Form):
    """One textarea per section and language; `texts()` gives {section: {language: text}} for the services."""

    sections: tuple[str, ...] = ()

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        for section in self.sections:
            for code, name in settings.LANGUAGES:
                field_name = f"{section}_{code}"
                self.fields[field_name] = forms.CharField(
                    label=format_lazy("{} ({})", SECTION_HEADINGS[section], name),
                    required=False,
                    initial=getattr(instance, field_name, "") if instance is not None else "",
                    widget=forms.Textarea(
                        attrs={"rows": 6, "lang": code, "dir": "rtl" if code == "ar" else "ltr"}
                    ),
                    help_text=_("Basic formatting is kept."),
                )

    def texts(self) -> dict[str, dict[str, str]]:
        return {
            section: {code: self.cleaned_data[f"{section}_{code}"] for code, _name in settings.LANGUAGES}
            for section in self.sections
        }


class OutcomeDocumentForm(TranslatedTextsForm):
    sections = ("preamble", "main_messages", "way_forward")


class ConsultationSummaryForm(TranslatedTextsForm):
    sections = ("introduction", "next_steps")

    status = forms.ChoiceField(label=_("status"), choices=ConsultationSummary.Status.choices)

    def __init__(self, *args, instance=None, may_publish: bool = True, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["status"].initial = (
            instance.status if instance is not None else ConsultationSummary.Status.DRAFT
        )
        # Publishing is for MANAGING_ROLES: a disabled field keeps its initial value whatever is posted.
        self.fields["status"].disabled = not may_publish


class FinalizeForm(forms.Form):
    accept_fallback = forms.BooleanField(
        label=_("Finalise anyway: show the missing text in another language, marked as not yet translated"),
        required=False,
    )
