from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from . import dates
from .models import ReviewEvent


class ReviewEventForm(forms.ModelForm):
    """Asks for a timeline date in parts (year, month, day or half-year), so a date known only to the
    month or the half-year can be typed without inventing a day."""

    date_year = forms.IntegerField(label=_("year"), min_value=1990, max_value=2100)
    date_month = forms.TypedChoiceField(
        label=_("month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *MONTHS.items()],
    )
    date_day = forms.IntegerField(label=_("day"), required=False, min_value=1, max_value=31)
    date_half = forms.IntegerField(
        label=_("half-year"), required=False, help_text=_("1 = January–June, 2 = July–December.")
    )

    date_part_fields = ("date_year", "date_month", "date_day", "date_half")

    class Meta:
        model = ReviewEvent
        fields = [
            "review",
            "phase",
            "kind",
            "title",
            "description",
            "date_precision",
            "date_end",
            "objectives",
            "is_closed",
            "order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        start = self.instance.date_start
        if start is not None:
            precision = self.instance.date_precision
            self.initial.setdefault("date_year", start.year)
            if precision == dates.HALF_YEAR:
                self.initial.setdefault("date_half", dates.half_of(start))
            else:
                self.initial.setdefault("date_month", start.month)
            if precision in (dates.DAY, dates.RANGE):
                self.initial.setdefault("date_day", start.day)

    def clean(self):
        cleaned = super().clean()
        precision = cleaned.get("date_precision")
        year = cleaned.get("date_year")
        if precision and year and not any(name in self.errors for name in self.date_part_fields):
            try:
                self.instance.date_start = dates.date_from_parts(
                    precision=precision,
                    year=year,
                    month=cleaned.get("date_month"),
                    day=cleaned.get("date_day"),
                    half=cleaned.get("date_half"),
                )
            except ValidationError as exc:
                for part, messages in exc.message_dict.items():
                    self.add_error(f"date_{part}", messages)
        return cleaned
