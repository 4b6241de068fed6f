"""Changes to people's profiles and accounts. Every function is audited."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gcm_portal.audit import record_audit
from reviews.models import StakeholderGroup

from . import personal_data
from .models import Organization, StakeholderProfile

# The audit log is append-only and outlives an erased account, so profile entries name only which fields
# changed — never their values (a name, a country, accessibility needs would otherwise survive erasure).
# Consent timestamps are recorded in full: they are what the log must be able to prove.
_TRACKED_FIELDS = (
    "full_name",
    "organization_id",
    "organization_name",
    "stakeholder_group_id",
    "country",
    "gender",
    "preferred_language",
    "interpretation_language",
    "accessibility_needs",
)


def _snapshot(profile: StakeholderProfile | None) -> dict[str, Any]:
    if profile is None:
        return {}
    return {field: str(getattr(profile, field) or "") for field in _TRACKED_FIELDS}


def _consents(profile: StakeholderProfile | None) -> dict[str, Any]:
    if profile is None:
        return {"terms_accepted_at": None, "public_listing_consent_at": None}
    return {
        "terms_accepted_at": profile.terms_accepted_at,
        "public_listing_consent_at": profile.public_listing_consent_at,
    }


def save_profile(
    *,
    user,
    full_name: str,
    stakeholder_group: StakeholderGroup,
    country: str,
    gender: str,
    preferred_language: str,
    accept_terms: bool,
    public_listing: bool = False,
    organization: Organization | None = None,
    organization_name: str = "",
    interpretation_language: str = "",
    accessibility_needs: str = "",
) -> StakeholderProfile:
    """Create or update `user`'s profile.

    Consents keep their first timestamp while they stay given; withdrawing public listing clears it.
    Terms cannot be withdrawn here (that is what deleting the account is for).

    Side effects: locks the user row, writes the StakeholderProfile row, records a "profile.create" or
    "profile.update" audit entry (field names only, plus consent timestamps).
    """
    if not accept_terms:
        raise ValidationError(_("You need to accept the terms of participation."), code="terms_required")
    now = timezone.now()
    with transaction.atomic():
        # Serialises two submissions of the same person, so the second updates instead of colliding.
        get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)
        profile = StakeholderProfile.objects.filter(user=user).first()
        created = profile is None
        if created:
            profile = StakeholderProfile(user=user)
        before, consents_before = (
            _snapshot(None if created else profile),
            _consents(None if created else profile),
        )

        profile.full_name = full_name.strip()
        profile.organization = organization
        # A chosen organization is the one source of truth; a typed name is only for unlisted ones.
        profile.organization_name = "" if organization else organization_name.strip()
        profile.stakeholder_group = stakeholder_group
        profile.country = country
        profile.gender = gender
        profile.preferred_language = preferred_language
        profile.interpretation_language = interpretation_language
        profile.accessibility_needs = accessibility_needs.strip()
        profile.terms_accepted_at = profile.terms_accepted_at or now
        if public_listing:
            profile.public_listing_consent_at = profile.public_listing_consent_at or now
        else:
            profile.public_listing_consent_at = None
        profile.full_clean(exclude=["user"])
        profile.save()

        after = _snapshot(profile)
        changed = sorted(field for field in _TRACKED_FIELDS if before.get(field) != after[field])
        record_audit(
            actor=user,
            action="profile.create" if created else "profile.update",
            obj=user,
            before={"changed_fields": changed, **consents_before},
            after={"changed_fields": changed, **_consents(profile)},
        )
    return profile


def delete_account(*, user) -> None:
    """Erase a person: their profile and e-mail addresses go, the user row stays only as an anonymous,
    inactive placeholder (so rows that must keep counting — registrations — can still exist without it).

    Side effects: runs every eraser registered in `stakeholders.personal_data` (consultations detach the
    person's registrations, keeping their snapshots), deletes the StakeholderProfile and allauth
    EmailAddress rows, blanks the user's username, names, e-mail and password and deactivates it, and
    records an "account.delete" audit entry naming only the anonymised account.
    """
    from allauth.account.models import EmailAddress

    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        erased = []
        for key, eraser in personal_data.registered_erasers().items():
            eraser(user)
            erased.append(key)
        had_profile = StakeholderProfile.objects.filter(user=user).delete()[0] > 0
        EmailAddress.objects.filter(user=user).delete()

        user.username = f"deleted-{user.pk}"
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.last_login = None
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        user.review_memberships.all().delete()

        record_audit(
            actor=user,
            action="account.delete",
            obj=user,
            before={"had_profile": had_profile},
            after={"is_active": False, "erased": erased},
        )
