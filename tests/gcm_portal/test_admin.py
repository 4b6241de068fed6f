import pytest
from django.contrib.auth.models import Permission

from gcm_portal.models import AuditEntry
from reviews.models import Objective

pytestmark = pytest.mark.django_db


def test_objective_changelist_refuses_anonymous(client):
    response = client.get("/en/admin/reviews/objective/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_objective_changelist_for_staff_with_permission(client, staff_user):
    staff_user.user_permissions.add(Permission.objects.get(codename="view_objective"))
    client.force_login(staff_user)
    html = client.get("/en/admin/reviews/objective/").content.decode()
    assert "Eliminate all forms of discrimination" in html
    assert "23 GCM objectives" in html


def test_admin_works_in_arabic_rtl(client, superuser):
    client.force_login(superuser)
    html = client.get("/ar/admin/reviews/objective/17/change/").content.decode()
    assert 'dir="rtl"' in html
    assert 'id="id_title_ar"' in html and 'id="id_title_fr"' in html


def test_verifying_a_working_translation_is_audited(client, superuser):
    client.force_login(superuser)
    seventeen = Objective.objects.get(number=17)
    response = client.post(
        "/en/admin/reviews/objective/",
        {"action": "verify_translation_fr", "_selected_action": [seventeen.pk]},
    )
    assert response.status_code == 302
    seventeen.refresh_from_db()
    assert seventeen.translation_status["fr"] == "verified"
    entry = AuditEntry.objects.get(action="translation.verify")
    assert entry.actor == superuser and entry.before["translation_status"]["fr"] == "working"


def test_audit_entries_are_append_only(superuser):
    from gcm_portal.audit import record_audit

    entry = record_audit(actor=superuser, action="test.action", obj=superuser)
    entry.note = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
