import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.models import Region
from stakeholders import personal_data
from stakeholders.selectors import (
    export_personal_data,
    get_profile,
    has_complete_profile,
    region_for_country,
)

from .factories import StakeholderProfileFactory, verified_user

pytestmark = pytest.mark.django_db


def test_country_in_two_regions_goes_to_the_first_by_order():
    # Egypt is a member of both ECA (order 0) and ESCWA (order 4) in the reference data.
    assert region_for_country("EG") == "africa"


def test_preferred_region_wins_when_the_country_belongs_to_it():
    assert region_for_country("EG", prefer_region_key="arab") == "arab"


def test_preferred_region_is_ignored_when_the_country_is_not_in_it():
    assert region_for_country("EG", prefer_region_key="europe") == "africa"
    assert region_for_country("FR", prefer_region_key="arab") == "europe"


def test_unknown_or_empty_country_has_no_region():
    assert region_for_country("XX") is None
    assert region_for_country("") is None


def test_lower_case_codes_are_accepted():
    assert region_for_country("jo") == "arab"


def test_mapping_is_cached_after_the_first_call():
    region_for_country("EG")
    with CaptureQueriesContext(connection) as queries:
        assert region_for_country("MA", prefer_region_key="arab") == "arab"
        assert region_for_country("DE") == "europe"
    assert len(queries) == 0


def test_saving_a_region_refreshes_the_mapping():
    assert region_for_country("EG") == "africa"
    africa = Region.objects.get(key="africa")
    africa.order = 9
    africa.save()
    assert region_for_country("EG") == "arab"


def test_get_profile_is_none_without_a_profile_and_for_anonymous(user):
    from django.contrib.auth.models import AnonymousUser

    assert get_profile(user) is None
    assert get_profile(AnonymousUser()) is None
    assert has_complete_profile(AnonymousUser()) is False


def test_get_profile_returns_the_users_own(user, other_user):
    mine = StakeholderProfileFactory(user=user)
    StakeholderProfileFactory(user=other_user)
    assert get_profile(user) == mine
    assert has_complete_profile(user) is True


def test_profile_without_accepted_terms_is_not_complete(user):
    StakeholderProfileFactory(user=user, terms_accepted_at=None)
    assert has_complete_profile(user) is False


def test_export_contains_account_profile_consents_and_registered_parts(registry):
    user = verified_user(email="amina@example.org")
    StakeholderProfileFactory(user=user, full_name="Amina Haddad", accessibility_needs="Step-free access")
    personal_data.register_exporter("registrations", lambda u: [{"consultation": "c-1", "user": u.pk}])

    data = export_personal_data(user)

    assert data["account"]["email"] == "amina@example.org"
    assert data["account"]["email_addresses"] == [
        {"email": "amina@example.org", "verified": True, "primary": True}
    ]
    assert data["profile"]["full_name"] == "Amina Haddad"
    assert data["profile"]["country"] == {"code": "EG", "name": "Egypt"}
    assert data["profile"]["region"] == "africa"
    assert data["profile"]["stakeholder_group"]["key"] == "civil_society"
    assert data["profile"]["accessibility_needs"] == "Step-free access"
    assert data["consents"]["terms_accepted_at"] is not None
    assert data["consents"]["public_listing_consent_at"] is None
    assert data["registrations"] == [{"consultation": "c-1", "user": user.pk}]


def test_export_without_profile(user, registry):
    data = export_personal_data(user)
    assert data["profile"] is None
    assert data["consents"] == {"terms_accepted_at": None, "public_listing_consent_at": None}
