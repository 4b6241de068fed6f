"""Changes to people's profiles and accounts. Every function is audited."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
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


def _confirmation(profile: StakeholderProfile) -> dict[str, Any]:
    return {
        "organization_id": profile.organization_id,
        "organization_confirmed_at": profile.organization_confirmed_at,
        "organization_confirmed_by": profile.organization_confirmed_by_id,
    }


def _claim(profile: StakeholderProfile) -> tuple[Any, ...]:
    """What the secretariat confirms: this person represents this organization (chosen or typed)."""
    return (profile.user_id, profile.organization_id, profile.organization_name)


def _clear_confirmation_if_claim_changed(*, actor, profile: StakeholderProfile, stored_claim: tuple) -> None:
    """Unsaved: drop the confirmation when the person or organization differs from `stored_claim`, and audit
    it, so nobody keeps acting for an organization the secretariat did not confirm them for."""
    if _claim(profile) == stored_claim or profile.organization_confirmed_at is None:
        return
    before = _confirmation(profile) | {"organization_id": stored_claim[1]}
    profile.organization_confirmed_at = None
    profile.organization_confirmed_by = None
    record_audit(
        actor=actor,
        action="profile.organization_unconfirmed",
        obj=profile.user,
        before=before,
        after=_confirmation(profile),
        note="organization changed",
    )


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

    Changing the organization (chosen or typed) ends the secretariat's confirmation that the person
    represents their organization.

    Side effects: locks the user and profile rows, writes the StakeholderProfile row, records a
    "profile.create" or "profile.update" audit entry (field names only, plus consent timestamps), and a
    "profile.organization_unconfirmed" entry when a confirmation is cleared.
    """
    if not accept_terms:
        raise ValidationError(_("You need to accept the terms of participation."), code="terms_required")
    now = timezone.now()
    with transaction.atomic():
        # Serialises two submissions of the same person, so the second updates instead of colliding.
        get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)
        # Locked too: a confirmation committed meanwhile must be seen here, or be cleared here.
        profile = StakeholderProfile.objects.select_for_update().filter(user=user).first()
        created = profile is None
        if created:
            profile = StakeholderProfile(user=user)
        before, consents_before = (
            _snapshot(None if created else profile),
            _consents(None if created else profile),
        )
        stored_claim = _claim(profile)

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
        _clear_confirmation_if_claim_changed(actor=user, profile=profile, stored_claim=stored_claim)
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


def save_profile_by_staff(
    *, actor, profile: StakeholderProfile, changed_fields: list[str]
) -> StakeholderProfile:
    """Staff create or change a profile in the admin.

    Side effects: saves the profile; when staff changed its organization, clears the confirmation (audited as
    in `save_profile`); records a "profile.admin_create" or "profile.admin_update" audit entry naming the
    changed fields only.
    """
    created = profile.pk is None
    with transaction.atomic():
        if not created:
            stored = StakeholderProfile.objects.select_for_update().get(pk=profile.pk)
            # The admin form never carries the confirmation: keep the stored one unless it must go.
            profile.organization_confirmed_at = stored.organization_confirmed_at
            profile.organization_confirmed_by_id = stored.organization_confirmed_by_id
            _clear_confirmation_if_claim_changed(actor=actor, profile=profile, stored_claim=_claim(stored))
        profile.save()
        # Field names only: the audit log outlives the person's data.
        record_audit(
            actor=actor,
            action="profile.admin_create" if created else "profile.admin_update",
            obj=profile.user,
            after={"changed_fields": sorted(changed_fields)},
        )
    return profile


def _check_may_confirm(actor) -> None:
    if not (
        actor is not None
        and actor.is_authenticated
        and actor.is_staff
        and actor.has_perm("stakeholders.change_stakeholderprofile")
    ):
        raise PermissionDenied("Only staff who may change profiles confirm organization memberships.")


def _lock_profile(pk: int) -> StakeholderProfile:
    return StakeholderProfile.objects.select_for_update(of=("self",)).select_related("user").get(pk=pk)


def _set_confirmation(profile: StakeholderProfile, *, actor, at, action: str) -> None:
    """Confirm (`at` a time, by `actor`) or withdraw (`at` None) a locked profile's organization, audited."""
    before = _confirmation(profile)
    profile.organization_confirmed_at = at
    profile.organization_confirmed_by = actor if at is not None else None
    profile.save(update_fields=["organization_confirmed_at", "organization_confirmed_by", "updated_at"])
    record_audit(actor=actor, action=action, obj=profile.user, before=before, after=_confirmation(profile))


def confirm_organization_membership(*, actor, profile: StakeholderProfile) -> StakeholderProfile:
    """Staff confirm that the person represents the organization their profile names: from then on they see
    and edit all of that organization's pledges and written inputs (pledges.access).

    `profile` is the profile as staff saw it: if its organization changed since it was read, nothing is
    confirmed, so nobody is confirmed for an organization staff did not check. Confirming again changes
    nothing.

    Side effects: locks the profile row, sets organization_confirmed_at and organization_confirmed_by, and
    records a "profile.organization_confirm" audit entry naming the actor and the organization. Raises
    PermissionDenied unless the actor is staff with change permission on profiles, ValidationError when the
    profile names no listed organization or another one than `profile`.
    """
    _check_may_confirm(actor)
    with transaction.atomic():
        locked = _lock_profile(profile.pk)
        if locked.organization_id is None:
            raise ValidationError(
                _("This profile names no organization from the list: choose one before confirming."),
                code="no_organization",
            )
        if (locked.organization_id, locked.organization_name) != (
            profile.organization_id,
            profile.organization_name,
        ):
            raise ValidationError(
                _("The person changed their organization meanwhile: check the profile again."),
                code="organization_changed",
            )
        if locked.organization_confirmed_at is None:
            _set_confirmation(locked, actor=actor, at=timezone.now(), action="profile.organization_confirm")
    return locked


def revoke_organization_membership(*, actor, profile: StakeholderProfile) -> StakeholderProfile:
    """Staff withdraw the confirmation: the person again sees and edits only what they created themselves.
    Revoking an unconfirmed profile changes nothing.

    Side effects: locks the profile row, clears organization_confirmed_at and organization_confirmed_by, and
    records a "profile.organization_revoke" audit entry naming the actor. Raises PermissionDenied unless the
    actor is staff with change permission on profiles.
    """
    _check_may_confirm(actor)
    with transaction.atomic():
        locked = _lock_profile(profile.pk)
        if locked.organization_confirmed_at is not None:
            _set_confirmation(locked, actor=actor, at=None, action="profile.organization_revoke")
    return locked


def delete_account(*, user, actor=None) -> None:
    """Erase a person: their profile and e-mail addresses go, the user row stays only as an anonymous,
    inactive placeholder (so rows that must keep counting — registrations — can still exist without it).
    `actor`: who asked for it; None means the person themselves (self-service).

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
            eraser(user=user, actor=user if actor is None else actor)
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
