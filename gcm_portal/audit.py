"""Write audit entries. Every service that changes state calls `record_audit` inside its transaction."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .models import AuditEntry


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any]:
    import json

    return json.loads(json.dumps(values or {}, cls=DjangoJSONEncoder, default=str))


def record_audit(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one audit entry naming `actor` (a user, or None for the system).

    Side effects: inserts an AuditEntry row.
    """
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_person else None,
        actor_label=(actor.get_username() if is_person else "system")[:255],
        action=action[:100],
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:255] if obj is not None else "",
        before=_jsonable(before),
        after=_jsonable(after),
        note=note,
    )
