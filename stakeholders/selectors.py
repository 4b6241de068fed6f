"""Reads about people: profiles, the region a country belongs to, and a person's data for export."""

from typing import Any

from django.core.cache import cache
from django.utils import timezone

from reviews.models import Region

from . import personal_data
from .models import StakeholderProfile

REGION_MAP_CACHE_KEY = "stakeholders:country-regions:v1"


def get_profile(user) -> StakeholderProfile | None:
    """The user's profile with what pages show next to it, or None (also for anonymous users)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        StakeholderProfile.objects.select_related("stakeholder_group", "organization")
        .filter(user=user)
        .first()
    )


def has_complete_profile(user) -> bool:
    """A profile counts once the person accepted the terms: that is what registering requires."""
    if not user.is_authenticated:
        return False
    return StakeholderProfile.objects.filter(user=user, terms_accepted_at__isnull=False).exists()


def country_region_map() -> dict[str, list[str]]:
    """{country code: [region keys in Region.order]}. Cached because every registration asks for it and
    regions change a few times a year; signals drop the cache when a region is saved or deleted."""
    mapping = cache.get(REGION_MAP_CACHE_KEY)
    if mapping is None:
        mapping = {}
        # Instances, not values_list: the field's descriptor is what turns the stored "DZ,AO,…" into codes.
        for region in Region.objects.order_by("order", "key").only("key", "countries"):
            for country in region.countries:
                mapping.setdefault(country.code, []).append(region.key)
        # Signals cover edits through the ORM; the timeout covers data migrations and bulk updates.
        cache.set(REGION_MAP_CACHE_KEY, mapping, timeout=60 * 60)
    return mapping


def region_for_country(code: str, *, prefer_region_key: str | None = None) -> str | None:
    """The key of the region `code` belongs to, or None if it belongs to none.

    A country can be in several regions (Egypt: Africa and the Arab region). When it is in
    `prefer_region_key` (typically the region of the review a consultation belongs to) that one wins;
    otherwise the first region by Region.order.
    """
    keys = country_region_map().get(str(code or "").upper(), [])
    if prefer_region_key and prefer_region_key in keys:
        return prefer_region_key
    return keys[0] if keys else None


def _profile_data(profile: StakeholderProfile) -> dict[str, Any]:
    return {
        "full_name": profile.full_name,
        "organization": profile.organization.name if profile.organization_id else None,
        "organization_name": profile.organization_name,
        # When the secretariat confirmed that they represent it (not who: that names a staff member).
        "organization_confirmed_at": profile.organization_confirmed_at,
        "stakeholder_group": {"key": profile.stakeholder_group.key, "name": profile.stakeholder_group.name},
        "country": {"code": profile.country.code, "name": str(profile.country.name)},
        "region": region_for_country(profile.country.code),
        "gender": profile.gender,
        "preferred_language": profile.preferred_language,
        "interpretation_language": profile.interpretation_language,
        "accessibility_needs": profile.accessibility_needs,
        "created_at": profile.created_at,
        "updated_at": profile.updated_at,
    }


def export_personal_data(user) -> dict[str, Any]:
    """Everything the portal keeps about `user`, for "Download my data": the account, the profile, the
    consents, and whatever the other apps registered in `stakeholders.personal_data`."""
    from allauth.account.models import EmailAddress

    profile = get_profile(user)
    data: dict[str, Any] = {
        "generated_at": timezone.now(),
        "account": {
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
            ],
        },
        "profile": _profile_data(profile) if profile else None,
        "consents": {
            "terms_accepted_at": profile.terms_accepted_at if profile else None,
            "public_listing_consent_at": profile.public_listing_consent_at if profile else None,
        },
    }
    for key, exporter in personal_data.registered_exporters().items():
        data[key] = exporter(user)
    return data
