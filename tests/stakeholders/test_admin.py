import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gcm_portal.models import AuditEntry
from reviews.models import ReviewMembership
from tests.factories import RegionalReviewFactory, StaffUserFactory

from .factories import StakeholderProfileFactory

pytestmark = pytest.mark.django_db


def staff_with(*codenames):
    staff = StaffUserFactory()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return staff


def test_changelist_filters_and_search(client, superuser):
    StakeholderProfileFactory(full_name="Amina Haddad", country="JO")
    StakeholderProfileFactory(full_name="Karim Benali", country="MA")
    client.force_login(superuser)
    html = client.get("/en/admin/stakeholders/stakeholderprofile/?q=Haddad").content.decode()
    assert "Amina Haddad" in html and "Karim Benali" not in html
    html = client.get("/en/admin/stakeholders/stakeholderprofile/?country=MA").content.decode()
    assert "Karim Benali" in html and "Amina Haddad" not in html
    for heading in ("By stakeholder group", "By country of residence", "By gender"):
        assert heading in html


def test_changelist_query_count_does_not_grow_with_rows(client, superuser):
    client.force_login(superuser)
    StakeholderProfileFactory()
    with CaptureQueriesContext(connection) as one:
        assert client.get("/en/admin/stakeholders/stakeholderprofile/").status_code == 200
    StakeholderProfileFactory.create_batch(6)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/en/admin/stakeholders/stakeholderprofile/").status_code == 200
    assert len(many) == len(one)


def test_accessibility_needs_hidden_from_ordinary_staff(client):
    profile = StakeholderProfileFactory(accessibility_needs="Screen reader user")
    client.force_login(staff_with("view_stakeholderprofile"))
    html = client.get(f"/en/admin/stakeholders/stakeholderprofile/{profile.pk}/change/").content.decode()
    assert profile.full_name in html
    assert "Screen reader user" not in html and "accessibility_needs" not in html


def test_accessibility_needs_visible_to_a_review_secretariat(client):
    profile = StakeholderProfileFactory(accessibility_needs="Screen reader user")
    staff = staff_with("view_stakeholderprofile")
    ReviewMembership.objects.create(
        review=RegionalReviewFactory(), user=staff, role=ReviewMembership.Role.SECRETARIAT
    )
    client.force_login(staff)
    html = client.get(f"/en/admin/stakeholders/stakeholderprofile/{profile.pk}/change/").content.decode()
    assert "Screen reader user" in html


def test_accessibility_needs_visible_to_superusers(client, superuser):
    profile = StakeholderProfileFactory(accessibility_needs="Screen reader user")
    client.force_login(superuser)
    html = client.get(f"/en/admin/stakeholders/stakeholderprofile/{profile.pk}/change/").content.decode()
    assert "Screen reader user" in html


def test_staff_without_permission_cannot_list_profiles(client):
    StakeholderProfileFactory(full_name="Amina Haddad")
    client.force_login(StaffUserFactory())
    response = client.get("/en/admin/stakeholders/stakeholderprofile/")
    assert response.status_code == 403


def test_admin_edit_is_audited_with_field_names_only(client, superuser):
    profile = StakeholderProfileFactory(full_name="Amina Haddad")
    client.force_login(superuser)
    url = f"/en/admin/stakeholders/stakeholderprofile/{profile.pk}/change/"
    response = client.get(url)
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(full_name="Amina H.", user=profile.user_id, stakeholder_group=profile.stakeholder_group_id)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    profile.refresh_from_db()
    assert profile.full_name == "Amina H."
    entry = AuditEntry.objects.get(action="profile.admin_update")
    assert entry.actor == superuser
    assert entry.after == {"changed_fields": ["full_name"]}
