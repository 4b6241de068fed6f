"""gcm_portal/services.py: verifying a working translation (the admin action calls it)."""

import pytest

from gcm_portal.models import AuditEntry
from gcm_portal.services import verify_translation
from reviews.models import Objective, Region

pytestmark = pytest.mark.django_db


def test_verifying_a_working_translation_saves_and_audits(staff_user):
    objective = Objective.objects.get(number=17)
    before = dict(objective.translation_status)
    assert before["fr"] == "working"

    assert verify_translation(actor=staff_user, obj=objective, language="fr") is True

    stored = Objective.objects.get(number=17).translation_status
    assert stored == before | {"fr": "verified"}
    assert objective.translation_status == stored
    entry = AuditEntry.objects.get(action="translation.verify")
    assert (entry.actor, entry.object_id) == (staff_user, str(objective.pk))
    assert entry.before == {"translation_status": before}
    assert entry.after == {"translation_status": stored}


def test_a_language_without_a_status_counts_as_working(staff_user):
    region = Region.objects.get(key="arab")
    Region.objects.filter(pk=region.pk).update(translation_status={})
    region.refresh_from_db()
    assert verify_translation(actor=staff_user, obj=region, language="ar") is True
    region.refresh_from_db()
    assert region.translation_status == {"ar": "verified"}


@pytest.mark.parametrize("status", ["official", "seed", "verified"])
def test_other_statuses_are_left_alone_and_not_audited(staff_user, status):
    objective = Objective.objects.get(number=17)
    Objective.objects.filter(pk=objective.pk).update(translation_status={"en": status})
    objective.refresh_from_db()
    assert verify_translation(actor=staff_user, obj=objective, language="en") is False
    objective.refresh_from_db()
    assert objective.translation_status == {"en": status}
    assert not AuditEntry.objects.exists()
