import datetime
import json

import pytest
from django.contrib.auth.models import Permission

from gcm_portal.models import AuditEntry
from reviews.models import (
    GuidingPrinciple,
    RegionalReview,
    ReviewEvent,
    ReviewMembership,
    StakeholderGroup,
    ThematicArea,
)
from stakeholders.models import Organization
from tests.factories import RegionalReviewFactory, ReviewEventFactory, StaffUserFactory

from .factories import ReviewMembershipFactory

pytestmark = pytest.mark.django_db


def _grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="reviews", codename__in=codenames)
    )


@pytest.fixture
def two_reviews():
    a = RegionalReviewFactory(title_en="Review A")
    b = RegionalReviewFactory(title_en="Review B")
    ReviewEventFactory(review=a, title_en="Event of A")
    ReviewEventFactory(review=b, title_en="Event of B")
    return a, b


@pytest.fixture
def secretariat_of_a(two_reviews):
    a, _b = two_reviews
    user = StaffUserFactory()
    _grant(
        user,
        "view_regionalreview",
        "change_regionalreview",
        "view_reviewevent",
        "change_reviewevent",
        "add_reviewevent",
    )
    ReviewMembershipFactory(review=a, user=user, role=ReviewMembership.Role.SECRETARIAT)
    return user


def test_review_changelist_lists_only_the_members_reviews(client, two_reviews, secretariat_of_a):
    client.force_login(secretariat_of_a)
    html = client.get("/en/admin/reviews/regionalreview/").content.decode()
    assert "Review A" in html
    assert "Review B" not in html


def test_member_of_a_can_open_a_but_not_b(client, two_reviews, secretariat_of_a):
    a, b = two_reviews
    client.force_login(secretariat_of_a)
    assert client.get(f"/en/admin/reviews/regionalreview/{a.pk}/change/").status_code == 200
    response = client.get(f"/en/admin/reviews/regionalreview/{b.pk}/change/")
    assert response.status_code == 302
    assert response["Location"] == "/en/admin/"


def test_member_of_a_cannot_change_b(client, two_reviews, secretariat_of_a):
    _a, b = two_reviews
    client.force_login(secretariat_of_a)
    response = client.post(f"/en/admin/reviews/regionalreview/{b.pk}/change/", {"title_en": "Taken over"})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.title_en == "Review B"
    assert not AuditEntry.objects.filter(
        object_id=str(b.pk), action__startswith="reviews.regionalreview"
    ).exists()


def test_member_of_a_cannot_see_bs_events(client, two_reviews, secretariat_of_a):
    _a, b = two_reviews
    client.force_login(secretariat_of_a)
    html = client.get("/en/admin/reviews/reviewevent/").content.decode()
    assert "Event of A" in html
    assert "Event of B" not in html
    assert "Review B" not in html  # not even in the review filter
    event_of_b = ReviewEvent.objects.get(review=b)
    assert client.get(f"/en/admin/reviews/reviewevent/{event_of_b.pk}/change/").status_code == 302


def test_member_of_a_cannot_add_an_event_to_b(client, two_reviews, secretariat_of_a):
    _a, b = two_reviews
    client.force_login(secretariat_of_a)
    response = client.post(
        "/en/admin/reviews/reviewevent/add/", _event_post(b, date_precision="day", date_day=2)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ReviewEvent.objects.filter(title_en="New event").exists()


def test_superuser_sees_every_review(client, two_reviews, superuser):
    client.force_login(superuser)
    html = client.get("/en/admin/reviews/regionalreview/").content.decode()
    assert "Review A" in html and "Review B" in html


def test_review_change_page_carries_the_organizer_inline(client, two_reviews, superuser):
    a, _b = two_reviews
    client.force_login(superuser)
    html = client.get(f"/ar/admin/reviews/regionalreview/{a.pk}/change/").content.decode()
    assert 'name="organization_links-TOTAL_FORMS"' in html
    assert 'name="events-TOTAL_FORMS"' in html
    assert 'id="id_title_ar"' in html and 'dir="rtl"' in html


def _event_post(review, **dates):
    return {
        "review": review.pk,
        "phase": "preparatory",
        "kind": "gcm_talk",
        "title_en": "New event",
        "title_ar": "فعالية جديدة",
        "title_fr": "Nouvel événement",
        "description_en": "",
        "description_ar": "",
        "description_fr": "",
        "date_year": 2023,
        "date_month": 7,
        "date_end": "",
        "order": 0,
        "translation_status": "{}",
        "organizer_links-TOTAL_FORMS": 0,
        "organizer_links-INITIAL_FORMS": 0,
        "organizer_links-MIN_NUM_FORMS": 0,
        "organizer_links-MAX_NUM_FORMS": 1000,
        **dates,
    }


def test_adding_a_month_event_in_the_admin_is_stored_and_audited(client, two_reviews, secretariat_of_a):
    a, _b = two_reviews
    client.force_login(secretariat_of_a)
    response = client.post("/en/admin/reviews/reviewevent/add/", _event_post(a, date_precision="month"))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = ReviewEvent.objects.get(title_en="New event")
    assert (event.review, event.date_start, event.date_precision) == (a, datetime.date(2023, 7, 1), "month")
    entry = AuditEntry.objects.get(action="reviews.reviewevent.create")
    assert entry.actor == secretariat_of_a and entry.after["date_start"] == "2023-07-01"


def test_the_admin_rejects_a_day_on_a_month_date(client, two_reviews, superuser):
    a, _b = two_reviews
    client.force_login(superuser)
    response = client.post(
        "/en/admin/reviews/reviewevent/add/", _event_post(a, date_precision="month", date_day=15)
    )
    assert response.status_code == 200
    assert "A date known only to the month cannot name a day" in response.content.decode()
    assert not ReviewEvent.objects.filter(title_en="New event").exists()


def test_the_admin_rejects_a_third_half_year(client, two_reviews, superuser):
    a, _b = two_reviews
    client.force_login(superuser)
    data = _event_post(a, date_precision="half_year", date_half=3)
    data["date_month"] = ""
    response = client.post("/en/admin/reviews/reviewevent/add/", data)
    assert "The half-year must be 1 (January–June) or 2 (July–December)." in response.content.decode()


def test_a_member_who_creates_a_review_can_manage_it(client, secretariat_of_a):
    _grant(secretariat_of_a, "add_regionalreview")
    client.force_login(secretariat_of_a)
    response = client.post(
        "/en/admin/reviews/regionalreview/add/",
        {
            "region": RegionalReviewFactory().region.pk,
            "round": 7,
            "title_en": "Seventh review",
            "title_ar": "",
            "title_fr": "",
            "slug": "seventh",
            "status": "planning",
            "purpose_en": "",
            "purpose_ar": "",
            "purpose_fr": "",
            "informs_en": "",
            "informs_ar": "",
            "informs_fr": "",
            "review_objectives": "[]",
            "translation_status": "{}",
            # The user may add events, so the timeline inline is on the page.
            "events-TOTAL_FORMS": 0,
            "events-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [formset.formset.non_form_errors() for formset in response.context["inline_admin_formsets"]],
    )
    review = RegionalReview.objects.get(slug="seventh")
    assert ReviewMembership.objects.filter(review=review, user=secretariat_of_a).exists()
    assert AuditEntry.objects.filter(
        action="reviews.regionalreview.create", object_id=str(review.pk)
    ).exists()


def test_a_member_state_is_created_from_its_country_in_the_admin(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/en/admin/stakeholders/organization/add/",
        {
            "kind": "member_state",
            "country": "EG",
            "name_en": "",
            "name_ar": "",
            "name_fr": "",
            "acronym": "",
            "website": "",
            "translation_status": "{}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    egypt = Organization.objects.get(kind="member_state", country="EG")
    assert (egypt.name_en, egypt.name_fr, egypt.name_ar) == ("Egypt", "Égypte", "مصر")
    again = client.post(
        "/en/admin/stakeholders/organization/add/",
        {"kind": "member_state", "country": "EG", "translation_status": "{}"},
    )
    assert "This country already has its Member State organization." in again.content.decode()


def test_inline_organizers_are_saved_and_audited(client, two_reviews, superuser):
    a, _b = two_reviews
    client.force_login(superuser)
    data = _event_post(a, date_precision="month") | {
        "organizer_links-TOTAL_FORMS": 1,
        "organizer_links-0-organization": "",
        "organizer_links-0-name_en": "Government of Qatar",
        "organizer_links-0-name_ar": "الحكومة القطرية",
        "organizer_links-0-name_fr": "Gouvernement du Qatar",
        "organizer_links-0-order": 0,
    }
    response = client.post("/en/admin/reviews/reviewevent/add/", data)
    assert response.status_code == 302
    event = ReviewEvent.objects.get(title_en="New event")
    [organizer] = event.organizer_links.all()
    assert (organizer.name_en, organizer.name_ar) == ("Government of Qatar", "الحكومة القطرية")
    entry = AuditEntry.objects.get(action="stakeholders.eventorganizer.create")
    assert entry.actor == superuser and entry.after["name_en"] == "Government of Qatar"


def test_system_checks_stay_clean_after_the_event_admin_builds_its_form(client, superuser):
    """modeltranslation copies a form's Meta.fields onto the admin when it builds the form; the event admin
    declares fieldsets, so that would make the admin fail Django's checks for the rest of the process."""
    from io import StringIO

    from django.core.management import call_command

    client.force_login(superuser)
    assert client.get("/en/admin/reviews/reviewevent/add/").status_code == 200
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


# --- Team memberships ------------------------------------------------------------------------------------


@pytest.fixture
def membership_admin_of_a(two_reviews):
    a, b = two_reviews
    user = StaffUserFactory()
    _grant(
        user,
        "view_reviewmembership",
        "add_reviewmembership",
        "change_reviewmembership",
        "delete_reviewmembership",
    )
    ReviewMembershipFactory(review=a, user=user, role=ReviewMembership.Role.SECRETARIAT)
    ReviewMembershipFactory(review=a, user=StaffUserFactory(username="rapporteur-of-a"), role="rapporteur")
    ReviewMembershipFactory(review=b, user=StaffUserFactory(username="organizer-of-b"), role="organizer")
    return user


def test_a_member_of_a_sees_only_as_team(client, two_reviews, membership_admin_of_a):
    _a, b = two_reviews
    client.force_login(membership_admin_of_a)
    html = client.get("/en/admin/reviews/reviewmembership/").content.decode()
    assert "rapporteur-of-a" in html
    assert "organizer-of-b" not in html and "Review B" not in html
    of_b = ReviewMembership.objects.get(review=b)
    response = client.get(f"/en/admin/reviews/reviewmembership/{of_b.pk}/change/")
    assert response.status_code == 302 and response["Location"] == "/en/admin/"


def test_a_member_of_a_cannot_add_to_bs_team(client, two_reviews, membership_admin_of_a):
    a, b = two_reviews
    newcomer = StaffUserFactory(username="newcomer")
    client.force_login(membership_admin_of_a)
    form = client.get("/en/admin/reviews/reviewmembership/add/").content.decode()
    assert "Review A" in form and "Review B" not in form
    response = client.post(
        "/en/admin/reviews/reviewmembership/add/",
        {"review": b.pk, "user": newcomer.pk, "role": "secretariat"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ReviewMembership.objects.filter(user=newcomer).exists()
    assert not AuditEntry.objects.filter(action__startswith="reviews.reviewmembership").exists()
    # On A it works, and is audited.
    response = client.post(
        "/en/admin/reviews/reviewmembership/add/", {"review": a.pk, "user": newcomer.pk, "role": "rapporteur"}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="reviews.reviewmembership.create")
    assert entry.actor == membership_admin_of_a and entry.after == {
        "review": a.pk,
        "user": newcomer.pk,
        "role": "rapporteur",
    }


def test_a_member_of_a_cannot_delete_from_bs_team(client, two_reviews, membership_admin_of_a):
    _a, b = two_reviews
    of_b = ReviewMembership.objects.get(review=b)
    client.force_login(membership_admin_of_a)
    response = client.post(f"/en/admin/reviews/reviewmembership/{of_b.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and response["Location"] == "/en/admin/"
    response = client.post(
        "/en/admin/reviews/reviewmembership/",
        {"action": "delete_selected", "_selected_action": [of_b.pk], "post": "yes"},
    )
    assert ReviewMembership.objects.filter(pk=of_b.pk).exists()
    assert not AuditEntry.objects.filter(action="reviews.membership.revoke").exists()


def test_removing_a_member_in_the_admin_is_an_audited_revocation(client, two_reviews, membership_admin_of_a):
    a, _b = two_reviews
    rapporteur = ReviewMembership.objects.get(user__username="rapporteur-of-a")
    client.force_login(membership_admin_of_a)
    response = client.post(f"/en/admin/reviews/reviewmembership/{rapporteur.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ReviewMembership.objects.filter(pk=rapporteur.pk).exists()
    entry = AuditEntry.objects.get(action="reviews.membership.revoke")
    assert entry.actor == membership_admin_of_a
    assert entry.before == {"review": a.pk, "user": rapporteur.user_id, "role": "rapporteur"}


def test_bulk_removal_revokes_each_membership(client, two_reviews, membership_admin_of_a):
    a, _b = two_reviews
    extra = ReviewMembershipFactory(review=a, role="organizer")
    rapporteur = ReviewMembership.objects.get(user__username="rapporteur-of-a")
    client.force_login(membership_admin_of_a)
    response = client.post(
        "/en/admin/reviews/reviewmembership/",
        {"action": "delete_selected", "_selected_action": [extra.pk, rapporteur.pk], "post": "yes"},
    )
    assert response.status_code == 302
    revoked = AuditEntry.objects.filter(action="reviews.membership.revoke")
    assert sorted(int(entry.object_id) for entry in revoked) == sorted([extra.pk, rapporteur.pk])
    assert {entry.actor for entry in revoked} == {membership_admin_of_a}
    assert not ReviewMembership.objects.filter(pk__in=[extra.pk, rapporteur.pk]).exists()


def test_memberships_are_refused_to_anonymous_and_staff_without_permission(
    client, two_reviews, secretariat_of_a
):
    response = client.get("/en/admin/reviews/reviewmembership/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(secretariat_of_a)  # on A's team, but without the membership permissions
    assert client.get("/en/admin/reviews/reviewmembership/").status_code == 403


# --- Reference data --------------------------------------------------------------------------------------


def _principle_post(principle, **values) -> dict:
    return {
        "key": principle.key,
        "title_en": principle.title_en,
        "title_ar": principle.title_ar,
        "title_fr": principle.title_fr,
        "order": principle.order,
        "translation_status": json.dumps(principle.translation_status),
        # A field with a callable default sends its initial value along, as the browser would.
        "initial-translation_status": json.dumps(principle.translation_status),
        **values,
    }


def test_editing_a_guiding_principle_is_audited(client):
    editor = StaffUserFactory()
    _grant(editor, "view_guidingprinciple", "change_guidingprinciple")
    principle = GuidingPrinciple.objects.order_by("order").first()
    old_title = principle.title_fr
    client.force_login(editor)
    response = client.post(
        f"/en/admin/reviews/guidingprinciple/{principle.pk}/change/",
        _principle_post(principle, title_fr="Titre revu"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    principle.refresh_from_db()
    assert principle.title_fr == "Titre revu"
    entry = AuditEntry.objects.get(action="reviews.guidingprinciple.update")
    assert entry.actor == editor and entry.object_id == str(principle.pk)
    assert entry.before == {"title_fr": old_title} and entry.after == {"title_fr": "Titre revu"}


def test_regrouping_objectives_of_a_thematic_area_is_audited(client, superuser):
    area = ThematicArea.objects.order_by("number").first()
    before = sorted(area.objectives.values_list("pk", flat=True))
    client.force_login(superuser)
    response = client.post(
        f"/en/admin/reviews/thematicarea/{area.pk}/change/",
        {
            "number": area.number,
            "title_en": area.title_en,
            "title_ar": area.title_ar,
            "title_fr": area.title_fr,
            "objectives": before[:1],
            "translation_status": json.dumps(area.translation_status),
            "initial-translation_status": json.dumps(area.translation_status),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(action="reviews.thematicarea.update")
    assert entry.actor == superuser
    assert entry.before == {"objectives": before} and entry.after == {"objectives": before[:1]}


def test_deleting_a_stakeholder_group_is_audited(client, superuser):
    group = StakeholderGroup.objects.create(key="test-group", name_en="Test group", order=99)
    client.force_login(superuser)
    response = client.post(f"/en/admin/reviews/stakeholdergroup/{group.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="reviews.stakeholdergroup.delete")
    assert (entry.actor, entry.object_id, entry.object_label) == (superuser, str(group.pk), "Test group")


@pytest.mark.parametrize(
    ("model", "admin_class"),
    [
        ("objective", "ObjectiveAdmin"),
        ("thematicarea", "ThematicAreaAdmin"),
        ("guidingprinciple", "KeyedReferenceAdmin"),
        ("stakeholdergroup", "KeyedReferenceAdmin"),
        ("pledgeform", "KeyedReferenceAdmin"),
        ("region", "RegionAdmin"),
    ],
)
def test_every_reference_admin_is_audited(model, admin_class):
    from django.apps import apps
    from django.contrib import admin as django_admin

    from reviews.admin import AuditedAdminMixin

    model_admin = django_admin.site._registry[apps.get_model("reviews", model)]
    assert type(model_admin).__name__ == admin_class
    assert isinstance(model_admin, AuditedAdminMixin)


def test_a_rapporteur_with_membership_permissions_cannot_grant_rights(
    client, two_reviews, membership_admin_of_a
):
    a, _b = two_reviews
    rapporteur = ReviewMembership.objects.get(user__username="rapporteur-of-a").user
    _grant(
        rapporteur,
        "view_reviewmembership",
        "add_reviewmembership",
        "change_reviewmembership",
        "delete_reviewmembership",
        "view_regionalreview",
        "change_regionalreview",
    )
    client.force_login(rapporteur)
    # The team stays visible to every member...
    assert "rapporteur-of-a" in client.get("/en/admin/reviews/reviewmembership/").content.decode()
    # ...but adding (themselves as secretariat, say) or changing a role is refused.
    response = client.post(
        "/en/admin/reviews/reviewmembership/add/",
        {"review": a.pk, "user": rapporteur.pk, "role": "secretariat"},
    )
    assert response.status_code == 403
    own = ReviewMembership.objects.get(user=rapporteur)
    response = client.post(
        f"/en/admin/reviews/reviewmembership/{own.pk}/change/",
        {"review": a.pk, "user": rapporteur.pk, "role": "secretariat"},
    )
    assert response.status_code == 403
    assert list(ReviewMembership.objects.filter(user=rapporteur).values_list("role", flat=True)) == [
        "rapporteur"
    ]
    # The team inline on the review's own page is read-only for them too.
    page = client.get(f"/en/admin/reviews/regionalreview/{a.pk}/change/").content.decode()
    assert "rapporteur-of-a" in page and 'name="memberships-0-role"' not in page
    client.force_login(membership_admin_of_a)
    _grant(membership_admin_of_a, "view_regionalreview", "change_regionalreview")
    page = client.get(f"/en/admin/reviews/regionalreview/{a.pk}/change/").content.decode()
    assert 'name="memberships-0-role"' in page
    assert not AuditEntry.objects.filter(action__startswith="reviews.reviewmembership").exists()
