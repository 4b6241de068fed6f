"""The secretariat confirms that a person represents the organization their profile names; changing the
organization ends the confirmation. Every step is audited with who did it."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gcm_portal.models import AuditEntry
from stakeholders.models import Organization, StakeholderProfile
from stakeholders.selectors import export_personal_data
from stakeholders.services import (
    confirm_organization_membership,
    revoke_organization_membership,
    save_profile,
)
from tests.factories import StaffUserFactory, stakeholder_group

from .factories import StakeholderProfileFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/stakeholders/stakeholderprofile/"


def organization(name="Migrant Forum Asia") -> Organization:
    return Organization.objects.create(name=name, name_en=name)


def staff_with(*codenames):
    staff = StaffUserFactory()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return staff


@pytest.fixture
def secretariat():
    return staff_with("view_stakeholderprofile", "change_stakeholderprofile")


@pytest.fixture
def claimant():
    return StakeholderProfileFactory(organization=organization(), full_name="Amina Claimant")


def confirmed(profile, by):
    profile.organization_confirmed_at = timezone.now()
    profile.organization_confirmed_by = by
    profile.save()
    return profile


def profile_data(profile, **overrides):
    data = {
        "full_name": profile.full_name,
        "stakeholder_group": stakeholder_group("civil_society"),
        "country": "EG",
        "gender": StakeholderProfile.Gender.WOMAN,
        "preferred_language": "en",
        "accept_terms": True,
        "organization": profile.organization,
    }
    return data | overrides


# --- Services -------------------------------------------------------------------------------------------


def test_confirming_records_who_confirmed_and_audits_it(claimant, secretariat):
    profile = confirm_organization_membership(actor=secretariat, profile=claimant)
    profile.refresh_from_db()
    assert profile.organization_confirmed and profile.organization_confirmed_by == secretariat
    entry = AuditEntry.objects.get(action="profile.organization_confirm")
    assert entry.actor == secretariat and entry.actor_label == secretariat.get_username()
    assert entry.object_id == str(claimant.user_id)
    assert entry.after["organization_id"] == claimant.organization_id
    assert entry.after["organization_confirmed_by"] == secretariat.pk
    assert entry.before["organization_confirmed_at"] is None


def test_confirming_twice_changes_nothing(claimant, secretariat):
    first = confirm_organization_membership(actor=secretariat, profile=claimant).organization_confirmed_at
    again = confirm_organization_membership(actor=staff_with("change_stakeholderprofile"), profile=claimant)
    assert again.organization_confirmed_at == first and again.organization_confirmed_by == secretariat
    assert AuditEntry.objects.filter(action="profile.organization_confirm").count() == 1


@pytest.mark.parametrize("who", ["the person", "staff without change permission", "anonymous"])
def test_only_staff_who_may_change_profiles_confirm(claimant, who):
    actor = {
        "the person": claimant.user,
        "staff without change permission": staff_with("view_stakeholderprofile"),
        "anonymous": AnonymousUser(),
    }[who]
    with pytest.raises(PermissionDenied):
        confirm_organization_membership(actor=actor, profile=claimant)
    claimant.refresh_from_db()
    assert claimant.organization_confirmed_at is None
    assert not AuditEntry.objects.filter(action="profile.organization_confirm").exists()


def test_a_profile_without_a_listed_organization_cannot_be_confirmed(secretariat):
    typed = StakeholderProfileFactory(organization_name="Not in the list")
    with pytest.raises(ValidationError) as caught:
        confirm_organization_membership(actor=secretariat, profile=typed)
    assert caught.value.code == "no_organization"
    typed.refresh_from_db()
    assert typed.organization_confirmed_at is None


def test_nothing_is_confirmed_when_the_organization_changed_since_staff_read_it(claimant, secretariat):
    seen_by_staff = StakeholderProfile.objects.get(pk=claimant.pk)
    save_profile(user=claimant.user, **profile_data(claimant, organization=organization("Another one")))
    with pytest.raises(ValidationError) as caught:
        confirm_organization_membership(actor=secretariat, profile=seen_by_staff)
    assert caught.value.code == "organization_changed"
    claimant.refresh_from_db()
    assert claimant.organization_confirmed_at is None


def test_revoking_clears_the_confirmation_and_audits_it(claimant, secretariat):
    confirm_organization_membership(actor=secretariat, profile=claimant)
    other_staff = staff_with("change_stakeholderprofile")
    profile = revoke_organization_membership(actor=other_staff, profile=claimant)
    profile.refresh_from_db()
    assert profile.organization_confirmed_at is None and profile.organization_confirmed_by is None
    entry = AuditEntry.objects.get(action="profile.organization_revoke")
    assert entry.actor == other_staff
    assert entry.before["organization_confirmed_by"] == secretariat.pk
    with pytest.raises(PermissionDenied):
        revoke_organization_membership(actor=claimant.user, profile=claimant)


@pytest.mark.parametrize(
    "change",
    [
        {"organization": "new"},
        {"organization": None, "organization_name": "A typed name"},
    ],
    ids=["another listed organization", "a typed name instead"],
)
def test_changing_the_organization_clears_the_confirmation(claimant, secretariat, change):
    confirmed(claimant, secretariat)
    if change.get("organization") == "new":
        change = {"organization": organization("Another organization")}
    profile = save_profile(user=claimant.user, **profile_data(claimant, **change))
    profile.refresh_from_db()
    assert profile.organization_confirmed_at is None and profile.organization_confirmed_by is None
    entry = AuditEntry.objects.get(action="profile.organization_unconfirmed")
    assert entry.actor == claimant.user
    assert entry.before["organization_id"] == claimant.organization_id
    assert entry.before["organization_confirmed_by"] == secretariat.pk
    assert entry.after["organization_confirmed_at"] is None


def test_saving_the_profile_without_changing_the_organization_keeps_the_confirmation(claimant, secretariat):
    confirmed(claimant, secretariat)
    profile = save_profile(user=claimant.user, **profile_data(claimant, full_name="Amina C."))
    profile.refresh_from_db()
    assert profile.organization_confirmed and profile.organization_confirmed_by == secretariat
    assert not AuditEntry.objects.filter(action="profile.organization_unconfirmed").exists()


def test_changing_the_organization_on_the_profile_page_clears_the_confirmation(client, claimant, secretariat):
    confirmed(claimant, secretariat)
    client.force_login(claimant.user)
    response = client.post(
        "/en/profile/",
        {
            "full_name": claimant.full_name,
            "stakeholder_group": stakeholder_group("civil_society").pk,
            "country": "EG",
            "gender": "woman",
            "preferred_language": "en",
            "organization": organization("Switched to").pk,
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302
    claimant.refresh_from_db()
    assert claimant.organization.name == "Switched to" and claimant.organization_confirmed_at is None


# --- Profile page ---------------------------------------------------------------------------------------

UNCONFIRMED_SENTENCE = "The secretariat confirms that you represent"


def test_profile_page_tells_an_unconfirmed_person_what_they_see(client, claimant):
    client.force_login(claimant.user)
    html = client.get("/en/profile/").content.decode()
    assert UNCONFIRMED_SENTENCE in html
    assert "until then you see only the pledges and written inputs you submitted yourself" in html


def test_profile_page_of_a_confirmed_person_or_an_individual_says_nothing_of_it(
    client, claimant, secretariat
):
    confirmed(claimant, secretariat)
    client.force_login(claimant.user)
    html = client.get("/en/profile/").content.decode()
    assert UNCONFIRMED_SENTENCE not in html and "has confirmed that you represent" in html
    individual = StakeholderProfileFactory()
    client.force_login(individual.user)
    html = client.get("/en/profile/").content.decode()
    assert UNCONFIRMED_SENTENCE not in html and "has confirmed" not in html


# --- Admin ----------------------------------------------------------------------------------------------


def run_action(client, action, *profiles):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [p.pk for p in profiles]})


def test_admin_action_confirms_for_staff_with_change_permission(client, claimant, secretariat):
    typed = StakeholderProfileFactory(organization_name="Unlisted")
    client.force_login(secretariat)
    response = run_action(client, "confirm_organization", claimant, typed)
    assert response.status_code == 302
    claimant.refresh_from_db()
    typed.refresh_from_db()
    assert claimant.organization_confirmed and claimant.organization_confirmed_by == secretariat
    assert typed.organization_confirmed_at is None
    assert AuditEntry.objects.get(action="profile.organization_confirm").actor == secretariat
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "1 membership confirmed." in messages
    assert any(m.startswith(typed.full_name) for m in messages)


def test_admin_action_withdraws_the_confirmation(client, claimant, secretariat):
    confirmed(claimant, secretariat)
    client.force_login(secretariat)
    assert run_action(client, "revoke_organization", claimant).status_code == 302
    claimant.refresh_from_db()
    assert claimant.organization_confirmed_at is None
    assert AuditEntry.objects.get(action="profile.organization_revoke").actor == secretariat


def test_admin_action_is_not_offered_to_staff_who_may_only_view(client, claimant):
    viewer = staff_with("view_stakeholderprofile")
    client.force_login(viewer)
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    assert "confirm_organization" not in page.content.decode()
    run_action(client, "confirm_organization", claimant)
    claimant.refresh_from_db()
    assert claimant.organization_confirmed_at is None
    assert not AuditEntry.objects.filter(action="profile.organization_confirm").exists()


def test_admin_action_refuses_people_who_are_not_staff(client, claimant, user):
    response = run_action(client, "confirm_organization", claimant)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(user)
    response = run_action(client, "confirm_organization", claimant)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    claimant.refresh_from_db()
    assert claimant.organization_confirmed_at is None


def test_changelist_shows_and_filters_by_confirmation(client, claimant, secretariat):
    other = confirmed(
        StakeholderProfileFactory(organization=organization("Confirmed org"), full_name="Omar Confirmed"),
        secretariat,
    )
    StakeholderProfileFactory(full_name="Ivan Individual")
    client.force_login(secretariat)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "By organization confirmed" in html and "Confirm that they represent their organization" in html

    def names(query):
        return sorted(p.full_name for p in client.get(f"{CHANGELIST}?{query}").context["cl"].result_list)

    assert names("confirmed=yes") == [other.full_name]
    assert names("confirmed=no") == [claimant.full_name]
    admin = response.context["cl"].model_admin
    assert admin.organization_confirmed(other) is True
    assert admin.organization_confirmed(claimant) is False


def test_staff_changing_the_organization_in_the_admin_clears_the_confirmation(client, claimant, superuser):
    confirmed(claimant, superuser)
    client.force_login(superuser)
    url = f"{CHANGELIST}{claimant.pk}/change/"
    form = client.get(url).context["adminform"].form
    assert "organization_confirmed_at" not in form.fields
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        user=claimant.user_id,
        stakeholder_group=claimant.stakeholder_group_id,
        organization=organization("Moved to").pk,
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    claimant.refresh_from_db()
    assert claimant.organization.name == "Moved to" and claimant.organization_confirmed_at is None
    assert AuditEntry.objects.get(action="profile.organization_unconfirmed").actor == superuser
    assert AuditEntry.objects.get(action="profile.admin_update").after == {"changed_fields": ["organization"]}


def test_staff_editing_other_fields_in_the_admin_keeps_the_confirmation(client, claimant, superuser):
    confirmed(claimant, superuser)
    client.force_login(superuser)
    url = f"{CHANGELIST}{claimant.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(user=claimant.user_id, stakeholder_group=claimant.stakeholder_group_id, full_name="A. C.")
    assert client.post(url, data).status_code == 302
    claimant.refresh_from_db()
    assert claimant.full_name == "A. C." and claimant.organization_confirmed


def test_download_my_data_says_when_the_organization_was_confirmed(claimant, secretariat):
    assert export_personal_data(claimant.user)["profile"]["organization_confirmed_at"] is None
    profile = confirm_organization_membership(actor=secretariat, profile=claimant)
    data = export_personal_data(claimant.user)["profile"]
    assert data["organization_confirmed_at"] == profile.organization_confirmed_at
    assert secretariat.get_username() not in str(data)
