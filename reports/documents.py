"""Turn a document's inputs (see selectors) into one self-contained HTML page for the PDF renderer: labels in
the document's language, the print stylesheet inline and the project's fonts by file:// URL."""

import datetime
import zoneinfo
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.models import Consultation, KeyMessage
from gcm_portal.richtext import rich_text_html
from stakeholders.models import StakeholderProfile

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONTS = {
    "sans_regular": (FONT_DIR / "NotoSans-Regular.ttf").as_uri(),
    "sans_bold": (FONT_DIR / "NotoSans-Bold.ttf").as_uri(),
    "naskh_regular": (FONT_DIR / "NotoNaskhArabic-Regular.ttf").as_uri(),
    "naskh_bold": (FONT_DIR / "NotoNaskhArabic-Bold.ttf").as_uri(),
}
BASE_URL = FONT_DIR.as_uri() + "/"

SECTION_HEADINGS = {
    "preamble": gettext_lazy("Preamble"),
    "main_messages": gettext_lazy("Main messages"),
    "way_forward": gettext_lazy("Way forward"),
    "introduction": gettext_lazy("Introduction"),
    "next_steps": gettext_lazy("Next steps"),
}


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _sections(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**section, "heading": SECTION_HEADINGS[section["key"]], "html": rich_text_html(section["text"])}
        for section in inputs["sections"]
    ]


def _common(inputs: dict[str, Any], document_kind: str, document_title: str, subtitle: str) -> dict[str, Any]:
    review = inputs["review"]
    return {
        "language": inputs["language"],
        "direction": "rtl" if translation.get_language_info(inputs["language"])["bidi"] else "ltr",
        "fonts": FONTS,
        "document_kind": document_kind,
        "document_title": document_title,
        "subtitle": subtitle,
        "organizers": review["organizers"],
        "organizers_line": ", ".join(review["organizers"]),
        "is_public": inputs["is_public"],
        "fallback_accepted": inputs.get("fallback_accepted", False),
    }


def _kind_label(kind: str) -> str:
    return str(KeyMessage.Kind(kind).label)


def _cited(entry: dict[str, Any]) -> dict[str, Any]:
    return {**entry, "consultation": {**entry["consultation"], "date": _date(entry["consultation"]["date"])}}


def _outcome_context(inputs: dict[str, Any]) -> dict[str, Any]:
    review = inputs["review"]
    sections = _sections(inputs)
    annex = [
        {
            **area,
            "objectives": [
                {
                    **objective,
                    "kinds": [
                        {
                            "kind": group["kind"],
                            "label": _kind_label(group["kind"]),
                            "key_messages": [_cited(entry) for entry in group["key_messages"]],
                        }
                        for group in objective["kinds"]
                    ],
                }
                for objective in area["objectives"]
            ],
        }
        for area in inputs["annex"]
    ]
    toc = [{"anchor": f"section-{s['key']}", "label": s["heading"]} for s in sections]
    toc.append({"anchor": "participation", "label": _("Participation in the stakeholder consultations")})
    toc.append({"anchor": "annex", "label": _("Annex: key messages from the stakeholder consultations")})
    for area in annex:
        label = (
            _("Thematic area %(number)s") % {"number": area["number"]}
            if area["number"]
            else _("Other objectives")
        )
        toc.append({"anchor": f"area-{area['number'] or 'other'}", "label": label, "sub": True})
    dates = [_date(review["conference_start"]), _date(review["conference_end"])]
    participation = [{**row, "date": _date(row["date"])} for row in inputs["participation"]]
    return {
        **_common(
            inputs,
            _("Outcome document"),
            review["title"]["text"],
            _conference_line(dates),
        ),
        "sections": sections,
        "participation": participation,
        "participation_total": inputs["participation_total"],
        "annex": annex,
        "toc": toc,
    }


def _conference_line(dates: list[datetime.date | None]) -> str:
    start, end = dates
    if not start:
        return ""
    if end and end != start:
        return _("Review conference, %(start)s – %(end)s") % {
            "start": date_format(start, "DATE_FORMAT"),
            "end": date_format(end, "DATE_FORMAT"),
        }
    return _("Review conference, %(date)s") % {"date": date_format(start, "DATE_FORMAT")}


def _summary_context(inputs: dict[str, Any]) -> dict[str, Any]:
    consultation = inputs["consultation"]
    sections = {s["key"]: s for s in _sections(inputs)}
    genders = dict(StakeholderProfile.Gender.choices)
    participation = {
        **inputs["participation"],
        "by_gender": [
            {**row, "label": str(genders.get(row["key"], _("Not stated")))}
            for row in inputs["participation"]["by_gender"]
        ],
    }
    key_messages = [{**group, "label": _kind_label(group["kind"])} for group in inputs["key_messages"]]
    toc = []
    if "introduction" in sections:
        toc.append({"anchor": "section-introduction", "label": sections["introduction"]["heading"]})
    toc += [
        {"anchor": "participation", "label": _("Participation")},
        {"anchor": "agenda", "label": _("Agenda")},
        {"anchor": "key-messages", "label": _("Key messages")},
    ]
    toc += [
        {"anchor": f"kind-{group['kind']}", "label": group["label"], "sub": True} for group in key_messages
    ]
    if "next_steps" in sections:
        toc.append({"anchor": "section-next_steps", "label": sections["next_steps"]["heading"]})
    agenda = [
        {
            **item,
            "starts_at": datetime.datetime.fromisoformat(item["starts_at"]),
            "ends_at": datetime.datetime.fromisoformat(item["ends_at"]),
        }
        for item in inputs["agenda"]
    ]
    return {
        **_common(
            inputs,
            _("Summary report"),
            consultation["title"]["text"],
            inputs["review"]["title"]["text"],
        ),
        "consultation": consultation,
        "starts_at": datetime.datetime.fromisoformat(consultation["starts_at"]),
        "ends_at": datetime.datetime.fromisoformat(consultation["ends_at"]),
        "format_label": str(Consultation.Format(consultation["format"]).label),
        "introduction": sections.get("introduction"),
        "next_steps": sections.get("next_steps"),
        "participation": participation,
        "agenda": agenda,
        "key_messages": key_messages,
        "toc": toc,
    }


def build_html(inputs: dict[str, Any]) -> str:
    """The complete HTML of a document in its language, ready for `rendering.render_pdf`."""
    with translation.override(inputs["language"]):
        if inputs["document"] == "outcome":
            return render_to_string("reports/pdf/outcome_document.html", _outcome_context(inputs))
        try:
            zone = zoneinfo.ZoneInfo(inputs["consultation"]["time_zone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = datetime.UTC
        with timezone.override(zone):
            return render_to_string("reports/pdf/consultation_summary.html", _summary_context(inputs))
