"""POST data for the consultation admin's change form, as a browser would send it."""

INLINE_PREFIXES = ("agenda_items", "guiding_questions", "documents")


def _split(prefix: str, value) -> dict:
    return {f"{prefix}_0": value.strftime("%Y-%m-%d"), f"{prefix}_1": value.strftime("%H:%M:%S")}


def consultation_change_data(
    consultation, *, inlines: dict[str, list[dict]] | None = None, **changes
) -> dict:
    """The change form's data for `consultation` as stored, with `changes`. `inlines`: {prefix: [row, …]} with
    each row's field names unprefixed (an existing row names its "id"); other inlines are sent empty."""
    data = {
        "review": consultation.review_id,
        "title_en": consultation.title_en,
        "title_fr": consultation.title_fr,
        "title_ar": consultation.title_ar,
        "slug": consultation.slug,
        "format": consultation.format,
        **_split("starts_at", consultation.starts_at),
        **_split("ends_at", consultation.ends_at),
        "time_zone": consultation.time_zone,
        "interpretation_languages": '["ar", "en", "fr"]',
        "capacity": consultation.capacity,
        "status": consultation.status,
        "is_published": "on" if consultation.is_published else "",
        "balance_targets": "{}",
        "translation_status": "{}",
    }
    for prefix in INLINE_PREFIXES:
        rows = (inlines or {}).get(prefix, [])
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = sum(1 for row in rows if row.get("id"))
        for n, row in enumerate(rows):
            for name, value in row.items():
                if name in ("starts_at", "ends_at"):
                    data.update(_split(f"{prefix}-{n}-{name}", value))
                else:
                    data[f"{prefix}-{n}-{name}"] = value
            data[f"{prefix}-{n}-consultation"] = consultation.pk
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}
