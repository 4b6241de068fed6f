"""The whole journey: a stakeholder pledges in French, the secretariat publishes, everyone sees it."""

import datetime
import json

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone

from gcm_portal.models import AuditEntry
from pledges.models import Pledge, SubmissionStatus
from reviews.models import PledgeForm, ReviewMembership
from tests.factories import RegionalReviewFactory, StaffUserFactory, objective
from tests.pledges.factories import LONG_TEXT_FR, member_of

pytestmark = pytest.mark.django_db


def test_pledge_from_french_draft_to_open_data(client, django_capture_on_commit_callbacks, eager_tasks):
    review = RegionalReviewFactory()
    pledger = member_of()
    pledger.profile.organization.name_fr = "Association des migrants de Rabat"
    pledger.profile.organization.save()

    # 1. The stakeholder fills the multi-step form in French.
    client.force_login(pledger)
    client.post(
        "/fr/pledges/new/",
        {
            "original_language": "fr",
            "title": "Guichets uniques pour les travailleurs migrants",
            "description": LONG_TEXT_FR,
            "form": PledgeForm.objects.get(key="process").pk,
            "objectives": [objective(6).pk, objective(15).pk],
        },
    )
    pledge = Pledge.objects.get()
    client.post(
        f"/fr/pledges/{pledge.pk}/edit/measures/",
        {
            "indicator": "Personnes servies",
            "target": "30 000 par an",
            "start_date": "2024-01-01",
            "end_date": "2030-12-31",
            "reviews": [review.pk],
        },
    )
    client.post(
        f"/fr/pledges/{pledge.pk}/edit/contact/",
        {"contact_name": "Nadia Privée", "contact_email": "nadia.privee@example.org"},
    )
    client.post(f"/fr/pledges/{pledge.pk}/submit/")
    pledge.refresh_from_db()
    assert pledge.status == SubmissionStatus.SUBMITTED and pledge.original_language == "fr"

    # 2. The secretariat publishes it from the admin queue.
    staff = StaffUserFactory()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_pledge", "change_pledge"]))
    ReviewMembership.objects.create(review=review, user=staff, role=ReviewMembership.Role.SECRETARIAT)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/en/admin/pledges/pledge/",
            {"action": "publish_selected", "_selected_action": [pledge.pk], "apply": "1", "reason": ""},
        )
    pledge.refresh_from_db()
    assert pledge.status == SubmissionStatus.PUBLISHED
    assert AuditEntry.objects.filter(action="pledge.publish", actor=staff).exists()
    assert mail.outbox[-1].to == [pledger.email] and "Guichets uniques" in mail.outbox[-1].subject

    # 3. It is on the dashboard and the list in all three languages.
    client.logout()
    for language in ("ar", "en", "fr"):
        dashboard = client.get(f"/{language}/pledges/")
        assert dashboard.context["totals"]["pledges"] == 1, language
        objectives = next(c for c in dashboard.context["charts"] if c["key"] == "objective")["rows"]
        assert objectives[5]["value"] == 1 and objectives[14]["value"] == 1
        listing = client.get(f"/{language}/pledges/list/").content.decode()
        assert "Guichets uniques pour les travailleurs migrants" in listing
        assert 'lang="fr"' in listing

    # 4. A progress update moves its traffic light.
    Pledge.objects.filter(pk=pledge.pk).update(published_at=timezone.now() - datetime.timedelta(days=300))
    assert client.get("/en/pledges/list/?progress=needs_update").context["page"].paginator.count == 1
    client.force_login(pledger)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/fr/pledges/{pledge.pk}/progress/",
            {
                "date": timezone.localdate().isoformat(),
                "implementation_status": "in_progress",
                "narrative": "Le premier guichet a ouvert à Rabat.",
            },
        )
    client.logout()
    assert client.get("/en/pledges/list/?progress=needs_update").context["page"].paginator.count == 0
    assert client.get("/en/pledges/list/?progress=on_track").context["page"].paginator.count == 1
    progress_chart = next(c for c in client.get("/en/pledges/").context["charts"] if c["key"] == "progress")
    assert {row["css"]: row["value"] for row in progress_chart["rows"]}["on_track"] == 1

    # 5. Exports and API show it, with no private data.
    csv_text = b"".join(client.get("/en/pledges/export.csv").streaming_content).decode("utf-8-sig")
    exported = json.loads(client.get("/en/pledges/export.json").content)
    api = client.get("/api/pledges/")
    for body in (csv_text, json.dumps(exported, ensure_ascii=False), api.content.decode()):
        assert "Guichets uniques" in body
        assert "Nadia Privée" not in body and "nadia.privee@example.org" not in body
    assert api.json()["results"][0]["traffic_light"] == "on_track"
    assert (
        exported["results"][0]["progress_updates"][0]["narrative"] == "Le premier guichet a ouvert à Rabat."
    )
