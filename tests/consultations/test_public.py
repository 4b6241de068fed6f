"""One rule for what the public sees of a consultation (selectors.public_consultation_q): published, past the
draft stage, in a published review. Pages, registering, documents, the API and the list all apply it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultations import selectors
from consultations.models import BackgroundDocument, Consultation
from reviews.coverage import registered_columns
from reviews.models import ReviewMembership
from tests.factories import objective

from .factories import ConsultationFactory, participant, team_member

pytestmark = pytest.mark.django_db

HIDDEN = {
    "unpublished": {"is_published": False},
    "published but still a draft": {"status": Consultation.Status.DRAFT},
    "in an unpublished review": {"review__is_published": False},
}


def url(name, **kwargs):
    return reverse(f"consultations:{name}", kwargs=kwargs)


def test_public_selectors_show_only_public_consultations():
    shown = ConsultationFactory()
    hidden = [ConsultationFactory(**changes) for changes in HIDDEN.values()]
    assert list(selectors.public_consultations()) == [shown]
    assert selectors.public_consultation_id(slug=shown.slug) == shown.pk
    for consultation in hidden:
        with pytest.raises(Consultation.DoesNotExist):
            selectors.get_public_consultation(slug=consultation.slug)
        with pytest.raises(Consultation.DoesNotExist):
            selectors.public_consultation_id(slug=consultation.slug)
        assert selectors.is_public(consultation_id=consultation.pk) is False
    assert selectors.is_public(consultation_id=shown.pk) is True


@pytest.mark.parametrize("changes", HIDDEN.values(), ids=HIDDEN.keys())
def test_hidden_consultations_are_404_on_every_public_url(client, changes):
    consultation = ConsultationFactory(**changes, title_en="Not public yet")
    client.force_login(participant())
    for target in (
        consultation.get_absolute_url(),
        url("register", slug=consultation.slug),
        reverse("api-consultation-detail", kwargs={"slug": consultation.slug}),
    ):
        response = client.get(target)
        assert response.status_code == 404, target
        assert b"Not public yet" not in response.content
    registering = client.post(url("register", slug=consultation.slug))
    assert registering.status_code == 404
    assert "does not exist or is not open for registration" in registering.content.decode()
    assert "Not public yet" not in client.get(url("list")).content.decode()
    assert not consultation.registrations.exists()


def test_register_get_for_a_public_consultation_shows_the_form(client):
    consultation = ConsultationFactory()
    client.force_login(participant())
    response = client.get(url("register", slug=consultation.slug))
    assert response.status_code == 200
    assert response.context["consultation"] == consultation


def test_the_service_refuses_a_consultation_of_an_unpublished_review():
    from consultations import services

    consultation = ConsultationFactory(review__is_published=False)
    with pytest.raises(services.RegistrationError, match="not open"):
        services.register_participant(consultation_id=consultation.pk, user=participant())


@pytest.mark.parametrize("changes", HIDDEN.values(), ids=HIDDEN.keys())
def test_documents_of_hidden_consultations_go_to_the_review_team_only(client, settings, tmp_path, changes):
    settings.MEDIA_ROOT = tmp_path
    consultation = ConsultationFactory(**changes)
    document = BackgroundDocument.objects.create(
        consultation=consultation,
        title_en="Concept note",
        file=SimpleUploadedFile("note.pdf", b"%PDF-1.4 draft"),
        content_type="application/pdf",
        size=14,
    )
    target = url("document", slug=consultation.slug, pk=document.pk)
    assert client.get(target).status_code == 404
    client.force_login(participant())
    assert client.get(target).status_code == 404
    client.force_login(team_member(ConsultationFactory().review))
    assert client.get(target).status_code == 404
    for role in (ReviewMembership.Role.ORGANIZER, ReviewMembership.Role.SECRETARIAT):
        client.force_login(team_member(consultation.review, role))
        response = client.get(target)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 draft"


def test_coverage_counts_no_draft_consultation():
    shown = ConsultationFactory(objectives=[objective(17)])
    ConsultationFactory(
        review=shown.review, objectives=[objective(17), objective(5)], status=Consultation.Status.DRAFT
    )
    column = next(c for c in registered_columns() if c.key == "consultations")
    assert column.count_by_objective(review=shown.review) == {17: 1}
