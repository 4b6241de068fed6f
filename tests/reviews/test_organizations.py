import pytest
from django.core.exceptions import ValidationError

from gcm_portal.models import AuditEntry
from stakeholders.models import EventOrganizer, Organization, ReviewOrganization
from stakeholders.organizations import (
    OrganizerEntry,
    create_member_states,
    set_event_organizers,
    set_review_organizations,
    upsert_organization,
)
from tests.factories import RegionalReviewFactory, ReviewEventFactory

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_member_states_are_created_once_with_names_in_three_languages(superuser):
    states = create_member_states(actor=superuser, country_codes=["eg", "MA", "EG"])
    assert [s.country.code for s in states] == ["EG", "MA"]
    morocco = Organization.objects.get(country="MA", kind="member_state")
    assert (morocco.name_en, morocco.name_fr, morocco.name_ar) == ("Morocco", "Maroc", "المغرب")
    assert AuditEntry.objects.filter(action="stakeholders.organization.create_member_state").count() == 2
    again = create_member_states(actor=superuser, country_codes=["EG", "IQ"])
    assert again[0] == states[0]
    assert Organization.objects.filter(kind="member_state").count() == 3


def test_an_unknown_country_code_is_refused_and_nothing_is_created(superuser):
    with pytest.raises(ValidationError) as caught:
        create_member_states(actor=superuser, country_codes=["EG", "XX", "ZZ"])
    assert "XX, ZZ" in caught.value.messages[0]
    assert not Organization.objects.exists()


def test_upsert_organization_finds_the_same_row_again():
    first = upsert_organization(
        actor=None, acronym="IOM", names={"en": "IOM", "fr": "OIM", "ar": "م"}, kind="un_entity"
    )
    second = upsert_organization(
        actor=None, acronym="IOM", names={"en": "IOM", "fr": "OIM", "ar": "م"}, kind="un_entity"
    )
    assert first == second
    assert AuditEntry.objects.filter(action__startswith="stakeholders.organization").count() == 1


def test_review_organizations_keep_their_order():
    review = RegionalReviewFactory()
    a, b, c = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    set_review_organizations(actor=None, review=review, role="organizer", organizations=[c, a, b])
    set_review_organizations(actor=None, review=review, role="organizer", organizations=[b, c])
    links = ReviewOrganization.objects.filter(review=review).order_by("order")
    assert [link.organization for link in links] == [b, c]


def test_event_organizers_mix_organizations_and_names():
    event = ReviewEventFactory()
    org = OrganizationFactory(acronym="ESCWA")
    set_event_organizers(
        actor=None,
        event=event,
        organizers=[
            OrganizerEntry(organization=org),
            OrganizerEntry(names={"en": "A network", "ar": "شبكة"}),
        ],
        translation_status={"ar": "seed", "en": "working"},
    )
    rows = list(EventOrganizer.objects.filter(event=event).order_by("order"))
    assert [row.display_name for row in rows] == ["ESCWA", "A network"]
    assert rows[1].name_ar == "شبكة"
