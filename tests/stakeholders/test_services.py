import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations.models import Consultation, Registration
from gcm_portal.models import AuditEntry
from reviews.models import ReviewMembership
from stakeholders.models import Organization, StakeholderProfile
from stakeholders.services import delete_account, save_profile
from tests.factories import RegionalReviewFactory, stakeholder_group

from .factories import StakeholderProfileFactory, verified_user
from .helpers import rows_mentioning

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    data = {
        "full_name": "Amina Haddad",
        "stakeholder_group": stakeholder_group("migrants"),
        "country": "JO",
        "gender": StakeholderProfile.Gender.WOMAN,
        "preferred_language": "ar",
        "accept_terms": True,
    }
    return data | overrides


def test_save_profile_creates_with_consent_timestamps(user):
    profile = save_profile(user=user, **profile_data(public_listing=True))
    profile.refresh_from_db()
    assert profile.user == user
    assert profile.full_name == "Amina Haddad"
    assert profile.country.code == "JO"
    assert profile.terms_accepted_at is not None
    assert profile.public_listing_consent_at is not None
    assert profile.is_individual


def test_save_profile_updates_and_keeps_the_first_terms_timestamp(user):
    first = save_profile(user=user, **profile_data())
    accepted = first.terms_accepted_at
    second = save_profile(user=user, **profile_data(full_name="Amina H.", gender="undisclosed"))
    assert second.pk == first.pk
    assert StakeholderProfile.objects.filter(user=user).count() == 1
    second.refresh_from_db()
    assert second.full_name == "Amina H."
    assert second.gender == "undisclosed"
    assert second.terms_accepted_at == accepted


def test_withdrawing_public_listing_clears_its_timestamp(user):
    save_profile(user=user, **profile_data(public_listing=True))
    profile = save_profile(user=user, **profile_data(public_listing=False))
    assert profile.public_listing_consent_at is None
    assert not profile.listed_publicly


def test_terms_are_required(user):
    with pytest.raises(ValidationError):
        save_profile(user=user, **profile_data(accept_terms=False))
    assert not StakeholderProfile.objects.filter(user=user).exists()


def test_chosen_organization_replaces_a_typed_name(user):
    organization = Organization.objects.create(name_en="Migrant Forum", name="Migrant Forum")
    profile = save_profile(
        user=user, **profile_data(organization=organization, organization_name="Something typed")
    )
    assert profile.organization == organization
    assert profile.organization_name == ""
    assert not profile.is_individual


def test_profile_changes_are_audited_without_their_values(user):
    save_profile(user=user, **profile_data(accessibility_needs="Sign language"))
    save_profile(
        user=user,
        **profile_data(full_name="Amina H.", accessibility_needs="Sign language", public_listing=True),
    )
    created, updated = AuditEntry.objects.filter(action__startswith="profile.").order_by("id")
    assert created.action == "profile.create" and created.actor == user
    assert "full_name" in created.after["changed_fields"]
    assert updated.action == "profile.update"
    assert updated.after["changed_fields"] == ["full_name"]
    assert updated.before["public_listing_consent_at"] is None
    assert updated.after["public_listing_consent_at"] is not None
    logged = json.dumps([created.before, created.after, updated.before, updated.after]) + created.object_label
    assert "Amina" not in logged and "Sign language" not in logged and "JO" not in logged


@pytest.fixture
def consultation():
    review = RegionalReviewFactory()
    start = timezone.now() - timedelta(days=30)
    return Consultation.objects.create(
        review=review,
        title="Decent work",
        title_en="Decent work",
        slug="decent-work",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
    )


def test_delete_account_leaves_no_personal_data_and_keeps_counts(registry, consultation):
    registry.register_eraser(
        "test-registrations", lambda *, user, actor: Registration.objects.filter(user=user).update(user=None)
    )
    user = verified_user(email="amina.haddad@example.org", first_name="Amina", last_name="Haddad")
    StakeholderProfileFactory(user=user, full_name="Amina Haddad", accessibility_needs="Wheelchair user")
    save_profile(user=user, **profile_data(full_name="Amina Haddad", accessibility_needs="Wheelchair user"))
    ReviewMembership.objects.create(review=consultation.review, user=user)
    Registration.objects.create(
        consultation=consultation,
        user=user,
        status=Registration.Status.CONFIRMED,
        region_key="arab",
        gender="woman",
        stakeholder_group_key="migrants",
    )

    delete_account(user=user)

    user.refresh_from_db()
    assert user.username == f"deleted-{user.pk}"
    assert (user.email, user.first_name, user.last_name) == ("", "", "")
    assert not user.is_active and not user.has_usable_password()
    assert not StakeholderProfile.objects.filter(user=user).exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not ReviewMembership.objects.filter(user=user).exists()
    for trace in ("amina.haddad@example.org", "Amina", "Haddad", "Wheelchair"):
        assert rows_mentioning(trace) == [], trace
    registration = Registration.objects.get(consultation=consultation)
    assert registration.user is None
    assert (registration.region_key, registration.gender, registration.stakeholder_group_key) == (
        "arab",
        "woman",
        "migrants",
    )
    assert Registration.objects.filter(consultation=consultation, status="confirmed").count() == 1
    entry = AuditEntry.objects.get(action="account.delete")
    assert entry.actor == user and entry.actor_label == f"deleted-{user.pk}"
    assert entry.after["erased"] == sorted(registry.registered_erasers())


def test_delete_account_leaves_other_people_alone(registry):
    user = verified_user()
    other = verified_user()
    StakeholderProfileFactory(user=user)
    other_profile = StakeholderProfileFactory(user=other)
    delete_account(user=user)
    other.refresh_from_db()
    assert other.is_active and other.email
    assert StakeholderProfile.objects.get(pk=other_profile.pk).user == other
    assert EmailAddress.objects.filter(user=other).count() == 1
    assert get_user_model().objects.filter(is_active=True).count() == 1


def test_delete_account_names_the_person_as_the_one_who_asked(registry):
    seen = []
    registry.register_eraser("test-actor", lambda *, user, actor: seen.append((user.pk, actor.pk)))
    user = verified_user(email="leila@example.org")
    delete_account(user=user)
    assert seen == [(user.pk, user.pk)]
