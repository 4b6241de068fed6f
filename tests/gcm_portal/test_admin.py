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


def test_the_verify_action_reports_only_what_changed(client, superuser):
    client.force_login(superuser)
    verified = Objective.objects.get(number=17)
    working = Objective.objects.get(number=21)
    Objective.objects.filter(pk=verified.pk).update(translation_status={"fr": "verified"})
    Objective.objects.filter(pk=working.pk).update(translation_status={"fr": "working"})
    response = client.post(
        "/en/admin/reviews/objective/",
        {"action": "verify_translation_fr", "_selected_action": [verified.pk, working.pk]},
        follow=True,
    )
    assert [str(message) for message in response.context["messages"]] == ["1 translation marked verified."]
    assert [e.object_id for e in AuditEntry.objects.filter(action="translation.verify")] == [str(working.pk)]


def test_the_verify_action_needs_the_change_permission(client, staff_user):
    staff_user.user_permissions.add(Permission.objects.get(codename="view_objective"))
    client.force_login(staff_user)
    html = client.get("/en/admin/reviews/objective/").content.decode()
    assert "verify_translation_fr" not in html
    client.post(
        "/en/admin/reviews/objective/",
        {"action": "verify_translation_fr", "_selected_action": [Objective.objects.get(number=17).pk]},
    )
    assert not AuditEntry.objects.exists()
    assert Objective.objects.get(number=17).translation_status["fr"] == "working"


# --- The audit log in the admin ---------------------------------------------------------------------------


@pytest.fixture
def entry(superuser):
    from gcm_portal.audit import record_audit

    return record_audit(actor=superuser, action="test.secret_action", obj=superuser, note="who did what")


def test_audit_log_refuses_anonymous(client, entry):
    for url in ("/en/admin/gcm_portal/auditentry/", f"/en/admin/gcm_portal/auditentry/{entry.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_audit_log_refuses_staff_without_permission(client, staff_user, entry):
    client.force_login(staff_user)
    assert client.get("/en/admin/gcm_portal/auditentry/").status_code == 403
    assert client.get(f"/en/admin/gcm_portal/auditentry/{entry.pk}/change/").status_code == 403


def test_audit_log_refuses_a_non_staff_user_with_the_permission(client, user, entry):
    user.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    client.force_login(user)
    response = client.get("/en/admin/gcm_portal/auditentry/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_audit_log_is_read_only_for_staff_with_permission(client, staff_user, entry):
    staff_user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="gcm_portal", codename__endswith="_auditentry")
    )
    client.force_login(staff_user)
    html = client.get("/en/admin/gcm_portal/auditentry/").content.decode()
    assert "test.secret_action" in html
    assert client.get("/en/admin/gcm_portal/auditentry/add/").status_code == 403
    assert (
        client.post(f"/en/admin/gcm_portal/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    response = client.post(
        f"/en/admin/gcm_portal/auditentry/{entry.pk}/change/", {"note": "rewritten", "action": "x"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.note, entry.action) == ("who did what", "test.secret_action")
