"""Loads the GCM reference data shipped in reviews/fixtures/gcm_reference.yaml.

Used by the data migration (with historical models) and by tests; idempotent, keyed on number / key, so
running it again updates texts without duplicating rows. A translation a person already verified is left
as it is: re-loading must not undo a secretariat decision.
"""

from pathlib import Path

import yaml

REFERENCE_FILE = Path(__file__).resolve().parent / "fixtures" / "gcm_reference.yaml"
LANGS = ("ar", "en", "fr")


def read_reference() -> dict:
    return yaml.safe_load(REFERENCE_FILE.read_text(encoding="utf-8"))


def _texts(field: str, texts: dict) -> dict:
    return {f"{field}_{lang}": texts.get(lang, "") for lang in LANGS} | {field: texts.get("en", "")}


def _merge_status(existing: dict, incoming: dict) -> dict:
    return {
        lang: existing.get(lang) if existing.get(lang) == "verified" else status
        for lang, status in incoming.items()
    }


def _upsert(model, lookup: dict, values: dict, status: dict):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values, translation_status=status)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.translation_status = _merge_status(obj.translation_status or {}, status)
    obj.save()
    return obj


def load_reference_data(apps) -> None:
    data = read_reference()
    Objective = apps.get_model("reviews", "Objective")
    ThematicArea = apps.get_model("reviews", "ThematicArea")
    objectives = {}
    for item in data["objectives"]:
        values = _texts("title", item["title"]) | {"cross_cutting": item["cross_cutting"]}
        values |= _texts("short_title", item.get("short_title", {}))
        objectives[item["number"]] = _upsert(Objective, {"number": item["number"]}, values, item["status"])
    for item in data["thematic_areas"]:
        area = _upsert(
            ThematicArea, {"number": item["number"]}, _texts("title", item["title"]), item["status"]
        )
        area.objectives.set([objectives[n] for n in item["objectives"]])
    for model_name, field, key in (
        ("GuidingPrinciple", "title", "guiding_principles"),
        ("StakeholderGroup", "name", "stakeholder_groups"),
        ("PledgeForm", "name", "pledge_forms"),
    ):
        model = apps.get_model("reviews", model_name)
        for item in data[key]:
            values = _texts(field, item["text"]) | {"order": item["order"]}
            _upsert(model, {"key": item["key"]}, values, item["status"])
    Region = apps.get_model("reviews", "Region")
    for item in data["regions"]:
        values = _texts("name", item["name"]) | {
            "commission": item["commission"],
            "order": item["order"],
            "countries": item["countries"],
        }
        _upsert(Region, {"key": item["key"]}, values, item["status"])
