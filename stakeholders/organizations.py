"""Organizations: Member States made from country codes, organizations looked up by acronym, and their
links to reviews and timeline events. Every function runs in a transaction and is audited."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from gcm_portal.audit import record_audit
from reviews.models import RegionalReview, ReviewEvent

from .models import EventOrganizer, Organization, ReviewOrganization

LANGS = ("ar", "en", "fr")


def country_names(code: str) -> dict[str, str]:
    """{"name_ar": …, "name_en": …, "name_fr": …} for a country code, from django-countries."""
    names = {}
    for lang in LANGS:
        with translation.override(lang):
            names[f"name_{lang}"] = str(countries.name(code))
    return names


def _normalise_codes(country_codes: Iterable[str]) -> list[str]:
    codes, unknown = [], []
    for raw in country_codes:
        code = str(raw).strip().upper()
        if not code:
            continue
        if not countries.name(code):
            unknown.append(code)
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise ValidationError(
            _("Not a country code: %(codes)s. Use two-letter ISO 3166 codes such as EG or MA.")
            % {"codes": ", ".join(unknown)}
        )
    return codes


@transaction.atomic
def create_member_states(*, actor, country_codes: Iterable[str]) -> list[Organization]:
    """The Member State organization of each country code, created where missing with its name in Arabic,
    English and French from django-countries. Existing Member States are returned unchanged. Raises
    ValidationError naming every code that is not a country.

    Side effects: inserts Organization rows; writes one audit entry per row created.
    """
    codes = _normalise_codes(country_codes)
    existing = {
        org.country.code: org
        for org in Organization.objects.select_for_update().filter(
            kind=Organization.Kind.MEMBER_STATE, country__in=codes
        )
    }
    result = []
    for code in codes:
        org = existing.get(code)
        if org is None:
            names = country_names(code)
            org = Organization.objects.create(
                kind=Organization.Kind.MEMBER_STATE,
                country=code,
                **names,
                # Country names come from the ISO 3166 lists; their translations still need a person's check.
                translation_status={"ar": "working", "en": "official", "fr": "working"},
            )
            record_audit(
                actor=actor,
                action="stakeholders.organization.create_member_state",
                obj=org,
                after={"country": code, "name": names["name_en"]},
            )
        result.append(org)
    return result


@transaction.atomic
def upsert_organization(
    *,
    actor,
    acronym: str,
    names: dict[str, str],
    kind: str,
    stakeholder_group=None,
    website: str = "",
    translation_status: dict[str, str] | None = None,
) -> Organization:
    """The organization (not a Member State) known by `acronym` (by its English name when it has no
    acronym), created or brought to these names.

    Side effects: inserts or updates an Organization; writes an audit entry when anything changed.
    """
    lookup = {"acronym": acronym} if acronym else {"acronym": "", "name_en": names["en"]}
    org = (
        Organization.objects.select_for_update()
        .filter(**lookup)
        .exclude(kind=Organization.Kind.MEMBER_STATE)
        .first()
    )
    created = org is None
    if created:
        org = Organization(acronym=acronym)
    values = {f"name_{lang}": names.get(lang, "") for lang in LANGS} | {
        "kind": kind,
        "stakeholder_group": stakeholder_group,
    }
    if website:
        values["website"] = website
    status = dict(translation_status or {})
    if org.translation_status:
        status = {
            lang: "verified" if org.translation_status.get(lang) == "verified" else value
            for lang, value in status.items()
        }
    values["translation_status"] = status
    changes = {
        name: (getattr(org, name), value) for name, value in values.items() if getattr(org, name) != value
    }
    if created or changes:
        for name, value in values.items():
            setattr(org, name, value)
        org.full_clean()
        org.save()
        record_audit(
            actor=actor,
            action="stakeholders.organization.create" if created else "stakeholders.organization.update",
            obj=org,
            before={name: old for name, (old, _new) in changes.items()} if not created else {},
            after={name: new for name, (_old, new) in changes.items()},
        )
    return org


@transaction.atomic
def set_review_organizations(
    *, actor, review: RegionalReview, role: str, organizations: Sequence[Organization]
) -> None:
    """Make `organizations`, in this order, the review's organizers (or supporters, by `role`).

    Side effects: inserts, reorders or deletes ReviewOrganization rows; one audit entry when they changed.
    """
    links = ReviewOrganization.objects.select_for_update().filter(review=review, role=role)
    before = [link.organization_id for link in links.order_by("order", "id")]
    after = [org.pk for org in organizations]
    if before == after:
        return
    links.exclude(organization__in=organizations).delete()
    for order, org in enumerate(organizations):
        ReviewOrganization.objects.update_or_create(
            review=review, organization=org, role=role, defaults={"order": order}
        )
    record_audit(
        actor=actor,
        action="stakeholders.review_organizations.set",
        obj=review,
        before={"role": role, "organizations": before},
        after={"role": role, "organizations": after},
    )


@dataclass(frozen=True)
class OrganizerEntry:
    """One organizer of an event: an organization, or a name in each language when it is not one."""

    organization: Organization | None = None
    names: dict[str, str] | None = None


@transaction.atomic
def set_event_organizers(
    *, actor, event: ReviewEvent, organizers: Sequence[OrganizerEntry], translation_status: dict[str, str]
) -> None:
    """Make `organizers`, in this order, the event's organizers.

    Side effects: replaces the event's EventOrganizer rows when they differ; one audit entry when they do.
    """

    def key(organization_id, names) -> tuple:
        return (organization_id, tuple((names or {}).get(lang, "") for lang in LANGS))

    current = list(EventOrganizer.objects.select_for_update().filter(event=event).order_by("order", "id"))
    before = [
        key(row.organization_id, {lang: getattr(row, f"name_{lang}") or "" for lang in LANGS})
        for row in current
    ]
    after = [key(entry.organization.pk if entry.organization else None, entry.names) for entry in organizers]
    if before == after:
        return
    EventOrganizer.objects.filter(event=event).delete()
    for order, entry in enumerate(organizers):
        names = entry.names or {}
        EventOrganizer.objects.create(
            event=event,
            organization=entry.organization,
            **{f"name_{lang}": names.get(lang, "") for lang in LANGS},
            order=order,
            translation_status=translation_status if entry.organization is None else {},
        )
    record_audit(
        actor=actor,
        action="stakeholders.event_organizers.set",
        obj=event,
        before={"organizers": [list(item) for item in before]},
        after={"organizers": [list(item) for item in after]},
    )
