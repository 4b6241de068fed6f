"""Pledge pages: who sees what, the multi-step form, uploads, the list and its filters."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pledges.models import Pledge, SubmissionStatus
from reviews.models import PledgeForm, Region
from stakeholders.models import Organization
from tests.factories import RegionalReviewFactory, objective
from tests.pledges.factories import (
    LONG_TEXT_EN,
    OrganizationFactory,
    PledgeFactory,
    ProfileFactory,
    WrittenInputFactory,
    member_of,
)
from tests.pledges.helpers import counted_get

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name="plan.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- Visibility -----------------------------------------------------------------------------------------


@pytest.fixture
def draft():
    return PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None, title_en="Secret draft pledge")


def test_published_pledge_is_public_without_its_contact(client):
    pledge = PledgeFactory(title_en="Public pledge")
    html = client.get(f"/en/pledges/{pledge.pk}/").content.decode()
    assert "Public pledge" in html
    assert "Private Contact Person" not in html and "private.contact@example.org" not in html


def test_draft_is_seen_by_its_organization_with_the_contact(client, draft):
    client.force_login(member_of(draft.organization))
    html = client.get(f"/en/pledges/{draft.pk}/").content.decode()
    assert "Secret draft pledge" in html and "Private Contact Person" in html


def test_draft_is_hidden_from_another_organizations_member(client, draft):
    client.force_login(member_of())
    assert client.get(f"/en/pledges/{draft.pk}/").status_code == 404
    assert client.get(f"/en/pledges/{draft.pk}/edit/basics/").status_code == 404


def test_draft_is_hidden_from_anonymous(client, draft):
    assert client.get(f"/en/pledges/{draft.pk}/").status_code == 404


def test_drafts_never_appear_in_the_public_list(client, draft):
    PledgeFactory(title_en="Visible pledge")
    html = client.get("/en/pledges/list/").content.decode()
    assert "Visible pledge" in html and "Secret draft pledge" not in html


# --- The multi-step form --------------------------------------------------------------------------------


def test_person_without_organization_is_told_why(client):
    client.force_login(ProfileFactory(organization=None).user)
    response = client.get("/en/pledges/new/")
    assert response.status_code == 403
    assert "does not name an organization" in response.content.decode()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/en/pledges/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_limits_are_stated_on_the_form(client):
    client.force_login(member_of())
    html = client.get("/en/pledges/new/").content.decode()
    assert "Between 300 and 3,000 characters." in html
    pledge = PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None)
    client.force_login(member_of(pledge.organization))
    html = client.get(f"/en/pledges/{pledge.pk}/edit/contact/").content.decode()
    assert "One PDF file, up to 25 MB." in html


def basics_post(**overrides):
    data = {
        "original_language": "en",
        "title": "Fair recruitment pledge",
        "description": LONG_TEXT_EN,
        "form": PledgeForm.objects.get(key="policy").pk,
        "objectives": [objective(6).pk],
    }
    return data | overrides


def test_steps_save_a_draft_and_lead_to_submission(client):
    pledger = member_of()
    client.force_login(pledger)
    response = client.post("/en/pledges/new/", basics_post())
    pledge = Pledge.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/pledges/{pledge.pk}/edit/measures/"
    assert pledge.status == SubmissionStatus.DRAFT and pledge.organization == pledger.profile.organization
    response = client.post(
        f"/en/pledges/{pledge.pk}/edit/measures/",
        {
            "indicator": "Share of recruiters certified",
            "target": "80%",
            "start_date": "2025-01-01",
            "end_date": "2026-12-31",
            "regions": [Region.objects.get(key="arab").pk],
        },
    )
    assert response["Location"] == f"/en/pledges/{pledge.pk}/edit/contact/"
    response = client.post(
        f"/en/pledges/{pledge.pk}/edit/contact/",
        {"contact_name": "Omar", "contact_email": "omar@example.org", "document": pdf()},
    )
    assert response["Location"] == f"/en/pledges/{pledge.pk}/edit/review/"
    pledge.refresh_from_db()
    assert pledge.document_name == "plan.pdf" and pledge.document_size == len(PDF_BYTES)
    assert pledge.document.name.endswith(".pdf") and "plan" not in pledge.document.name
    response = client.post(f"/en/pledges/{pledge.pk}/submit/")
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == SubmissionStatus.SUBMITTED
    # Submitted: the pledger can no longer edit it.
    response = client.get(f"/en/pledges/{pledge.pk}/edit/basics/")
    assert response.status_code == 302 and response["Location"] == f"/en/pledges/{pledge.pk}/"


def test_incomplete_pledge_submission_lists_what_is_missing(client):
    pledger = member_of()
    client.force_login(pledger)
    client.post("/en/pledges/new/", basics_post())
    pledge = Pledge.objects.get()
    response = client.post(f"/en/pledges/{pledge.pk}/submit/")
    assert response.status_code == 400
    assert "Give the start and end dates." in response.content.decode()


def test_financial_pledge_step_requires_an_amount(client):
    pledger = member_of()
    client.force_login(pledger)
    client.post("/en/pledges/new/", basics_post(form=PledgeForm.objects.get(key="financial").pk))
    pledge = Pledge.objects.get()
    response = client.post(
        f"/en/pledges/{pledge.pk}/edit/measures/",
        {
            "indicator": "x",
            "target": "y",
            "start_date": "2025-01-01",
            "end_date": "2024-01-01",
            "currency": "XYZ",
        },
    )
    errors = response.context["form"].errors
    assert "A financial pledge states its amount." in errors["amount"]
    assert "The end date cannot be before the start date." in errors["end_date"]
    assert "currency" in errors  # XYZ is not an ISO 4217 code


@pytest.mark.parametrize(
    ("language", "short_message", "long_message"),
    [
        (
            "en",
            "Write at least 300 characters (this text has 299 characters).",
            "Write at most 3000 characters (this text has 3001 characters).",
        ),
        (
            "fr",
            "Écrivez au moins 300 caractères (ce texte en compte 299).",
            "Écrivez au plus 3000 caractères (ce texte en compte 3001).",
        ),
        (
            "ar",
            "اكتب 300 حرف على الأقل (عدد أحرف هذا النص: 299).",
            "اكتب 3000 حرف على الأكثر (عدد أحرف هذا النص: 3001).",
        ),
    ],
)
def test_description_length_is_refused_with_a_translated_message(
    client, language, short_message, long_message
):
    client.force_login(member_of())
    response = client.post(f"/{language}/pledges/new/", basics_post(description="x" * 299))
    assert response.status_code == 200
    assert response.context["form"].errors["description"] == [short_message]
    response = client.post(f"/{language}/pledges/new/", basics_post(description="x" * 3001))
    assert response.context["form"].errors["description"] == [long_message]
    response = client.post(f"/{language}/pledges/new/", basics_post(description="x" * 300))
    assert response.status_code == 302
    assert not Pledge.objects.filter(description_en="x" * 299).exists()


def test_line_breaks_count_as_one_character(client):
    pledger = member_of()
    client.force_login(pledger)
    # 30 lines of 99 characters: 2,999 characters with one per line break (the last one is stripped), which
    # the 3,000 limit accepts; counting CRLF as two would make it 3,028 and refuse it.
    text = ("y" * 99 + "\r\n") * 30
    response = client.post("/en/pledges/new/", basics_post(description=text))
    assert response.status_code == 302
    description = Pledge.objects.get(created_by=pledger).description_en
    assert len(description) == 2999
    assert description == ("y" * 99 + "\n") * 29 + "y" * 99


# --- Uploads --------------------------------------------------------------------------------------------


@pytest.fixture
def draft_and_member():
    pledge = PledgeFactory(status=SubmissionStatus.DRAFT, published_at=None)
    return pledge, member_of(pledge.organization)


def contact_post(document):
    return {"contact_name": "Omar", "contact_email": "omar@example.org", "document": document}


def test_renamed_executable_is_refused(client, draft_and_member):
    pledge, pledger = draft_and_member
    client.force_login(pledger)
    executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    response = client.post(
        f"/en/pledges/{pledge.pk}/edit/contact/", contact_post(pdf("report.pdf", executable))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["document"] == [
        "Only PDF documents are accepted, and this file is not a PDF."
    ]
    pledge.refresh_from_db()
    assert not pledge.document


def test_oversize_file_is_refused(client, draft_and_member):
    pledge, pledger = draft_and_member
    client.force_login(pledger)
    big = PDF_BYTES + b"0" * (25 * 1024 * 1024 + 1 - len(PDF_BYTES))
    response = client.post(f"/en/pledges/{pledge.pk}/edit/contact/", contact_post(pdf("big.pdf", big)))
    assert response.context["form"].errors["document"] == ["The file is larger than 25 MB."]


def test_document_is_served_as_attachment_with_permission(client, draft_and_member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pledge, pledger = draft_and_member
    client.force_login(pledger)
    client.post(f"/en/pledges/{pledge.pk}/edit/contact/", contact_post(pdf("plan d'action.pdf")))
    response = client.get(f"/en/pledges/{pledge.pk}/document/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES
    client.force_login(member_of())
    assert client.get(f"/en/pledges/{pledge.pk}/document/").status_code == 404
    client.logout()
    assert client.get(f"/en/pledges/{pledge.pk}/document/").status_code == 404
    Pledge.objects.filter(pk=pledge.pk).update(status=SubmissionStatus.PUBLISHED, published_at=timezone.now())
    assert client.get(f"/en/pledges/{pledge.pk}/document/").status_code == 200


# --- Progress -------------------------------------------------------------------------------------------


def test_progress_page_owner_other_anonymous(client):
    pledge = PledgeFactory()
    url = f"/en/pledges/{pledge.pk}/progress/"
    assert client.get(url).status_code == 302
    client.force_login(member_of())
    assert client.get(url).status_code == 404
    client.force_login(member_of(pledge.organization))
    response = client.post(
        url,
        {
            "date": timezone.localdate().isoformat(),
            "implementation_status": "fulfilled",
            "narrative": "Done.",
        },
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.traffic_light() == "fulfilled"
    html = client.get(f"/en/pledges/{pledge.pk}/").content.decode()
    assert "Done." in html and "Fulfilled" in html


def test_progress_date_in_the_future_is_refused(client):
    pledge = PledgeFactory()
    client.force_login(member_of(pledge.organization))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        f"/en/pledges/{pledge.pk}/progress/",
        {"date": tomorrow.isoformat(), "implementation_status": "in_progress", "narrative": "x"},
    )
    assert response.context["form"].errors["date"] == ["The date cannot be in the future."]


# --- My submissions -------------------------------------------------------------------------------------


def test_my_page_query_count_does_not_grow_with_rows(client):
    pledger = member_of()
    organization = pledger.profile.organization
    PledgeFactory(organization=organization, created_by=pledger, status=SubmissionStatus.DRAFT)
    WrittenInputFactory(organization=organization, created_by=pledger)
    client.force_login(pledger)
    one = counted_get(client, "/en/pledges/mine/")
    assert one.response.status_code == 200
    assert len(one.response.context["pledges"]) == 1 and len(one.response.context["inputs"]) == 1
    forms = list(PledgeForm.objects.all())
    for number in range(6):
        colleague = member_of(organization)
        PledgeFactory(organization=organization, created_by=colleague, form=forms[number % len(forms)])
        WrittenInputFactory(organization=organization, created_by=colleague, review=RegionalReviewFactory())
    many = counted_get(client, "/en/pledges/mine/")
    assert many.response.status_code == 200
    assert len(many.response.context["pledges"]) == 7 and len(many.response.context["inputs"]) == 7
    assert many.body.decode().count("<tr>") == one.body.decode().count("<tr>") + 12
    assert many.queries == one.queries


def test_my_page_lists_only_my_organizations_items(client, draft):
    other = PledgeFactory(title_en="Somebody else's pledge")
    client.force_login(member_of(draft.organization))
    html = client.get("/en/pledges/mine/").content.decode()
    assert "Secret draft pledge" in html and other.title_en not in html
    client.logout()
    assert client.get("/en/pledges/mine/").status_code == 302


# --- List and filters -----------------------------------------------------------------------------------


def test_list_filters():
    from django.test import Client

    client = Client()
    state = OrganizationFactory(kind=Organization.Kind.MEMBER_STATE, country="EG", name_en="Egypt")
    a = PledgeFactory(organization=state, title_en="Alpha decent work", objectives=[objective(6)])
    a.regions.set([Region.objects.get(key="arab")])
    b = PledgeFactory(
        title_en="Beta data systems", objectives=[objective(1)], form=PledgeForm.objects.get(key="financial")
    )
    c = PledgeFactory(
        title_en="Gamma finished",
        objectives=[objective(1)],
        implementation_status="fulfilled",
        last_progress_on=timezone.localdate(),
    )

    def titles(query):
        return [p.title_en for p in client.get("/en/pledges/list/?" + query).context["page"].object_list]

    assert set(titles("")) == {a.title_en, b.title_en, c.title_en}
    assert titles("objective=6") == [a.title_en]
    assert titles("form=financial") == [b.title_en]
    assert titles("region=arab") == [a.title_en]
    assert titles("progress=fulfilled") == [c.title_en]
    assert titles("kind=member_state") == [a.title_en]
    assert titles("q=beta+data") == [b.title_en]
    assert titles("q=egypt") == [a.title_en]


def test_list_is_paginated(client):
    for _ in range(27):
        PledgeFactory()
    response = client.get("/en/pledges/list/")
    assert len(response.context["page"].object_list) == 25
    assert len(client.get("/en/pledges/list/?page=2").context["page"].object_list) == 2


def test_list_query_count_does_not_grow_with_rows(client):
    PledgeFactory()
    one = query_count(client, "/en/pledges/list/")
    for number in range(2, 12):
        PledgeFactory(
            objectives=[objective(number), objective(number + 1)], organization=OrganizationFactory()
        )
    assert query_count(client, "/en/pledges/list/") == one


def test_detail_query_count_does_not_grow_with_updates(client):
    pledge = PledgeFactory()
    from tests.pledges.factories import ProgressUpdateFactory

    ProgressUpdateFactory(pledge=pledge)
    one = query_count(client, f"/en/pledges/{pledge.pk}/")
    for _ in range(5):
        ProgressUpdateFactory(pledge=pledge)
    assert query_count(client, f"/en/pledges/{pledge.pk}/") == one


def test_pages_have_no_inline_styles_or_scripts(client):
    pledge = PledgeFactory()
    for url in ("/ar/pledges/", "/en/pledges/list/", f"/fr/pledges/{pledge.pk}/"):
        html = client.get(url).content.decode()
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"<script(?![^>]*\ssrc=)", html), url
        assert not re.search(r"\son[a-z]+=", html), url
