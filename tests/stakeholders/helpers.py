from django.apps import apps
from django.db import models
from django.db.models.functions import Cast


def rows_mentioning(text: str) -> list[str]:
    """Every row, in every table the project has, with `text` in a text or JSON column."""
    hits = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        query = models.Q()
        annotations = {}
        for field in model._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                annotations[f"scan_{field.attname}"] = Cast(field.attname, models.TextField())
                query |= models.Q(**{f"scan_{field.attname}__icontains": text})
            elif isinstance(field, models.CharField | models.TextField):
                query |= models.Q(**{f"{field.attname}__icontains": text})
        if not query:
            continue
        for pk in model._base_manager.annotate(**annotations).filter(query).values_list("pk", flat=True):
            hits.append(f"{model._meta.label}#{pk}")
    return hits
