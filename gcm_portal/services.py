"""State changes shared by every app's translated models. Each function runs in a transaction and writes an
audit entry naming who made the change."""

from django.db import transaction

from .audit import record_audit
from .models import TranslationStatus, TranslationStatusMixin


@transaction.atomic
def verify_translation(*, actor, obj: TranslationStatusMixin, language: str) -> bool:
    """Mark the `language` text of `obj` as verified by staff. Only a working (unverified) translation
    changes: official and seed texts keep their status, and verifying twice changes nothing. Returns whether
    `obj` changed.

    Side effects: locks and updates obj.translation_status; writes a "translation.verify" audit entry when it
    changes.
    """
    # Re-read under a lock: two staff verifying at once must not overwrite each other's languages.
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    before = dict(locked.translation_status or {})
    if language in before and before[language] != TranslationStatus.WORKING:
        return False
    locked.translation_status = before | {language: TranslationStatus.VERIFIED}
    locked.save(update_fields=["translation_status"])
    obj.translation_status = locked.translation_status
    record_audit(
        actor=actor,
        action="translation.verify",
        obj=locked,
        before={"translation_status": before},
        after={"translation_status": locked.translation_status},
    )
    return True
