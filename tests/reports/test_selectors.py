from consultations.models import KeyMessage, Registration
from reports import selectors
from reviews.models import Region
from tests.factories import objective

from .factories import ConsultationFactory, KeyMessageFactory, RegistrationFactory


def test_participation_counts_only_confirmed_and_attended_registrations(consultation):
    RegistrationFactory.create_batch(3, consultation=consultation, gender="woman", region_key="arab")
    RegistrationFactory(
        consultation=consultation, gender="man", region_key="africa", stakeholder_group_key="academia"
    )
    RegistrationFactory(consultation=consultation, status=Registration.Status.ATTENDED, gender="man")
    for status in (
        Registration.Status.PENDING,
        Registration.Status.WAITLISTED,
        Registration.Status.CANCELLED,
    ):
        RegistrationFactory(consultation=consultation, status=status)

    figures = selectors.participation_by_consultation(consultation_ids=[consultation.pk])[consultation.pk]

    counted = Registration.objects.filter(
        consultation=consultation, status__in=[Registration.Status.CONFIRMED, Registration.Status.ATTENDED]
    )
    assert figures["total"] == counted.count() == 5
    assert dict(figures["gender"]) == {"woman": 3, "man": 2}
    assert dict(figures["region"]) == {"arab": 4, "africa": 1}
    assert dict(figures["group"]) == {"civil_society": 4, "academia": 1}


def test_summary_inputs_carry_counts_with_labels_and_no_names(consultation, user):
    RegistrationFactory(consultation=consultation, user=user, gender="woman")
    RegistrationFactory(consultation=consultation, gender="", region_key="", stakeholder_group_key="")
    from reports.models import ConsultationSummary

    summary = ConsultationSummary.objects.create(consultation=consultation)
    inputs = selectors.consultation_summary_inputs(summary=summary, language="fr")

    participation = inputs["participation"]
    assert participation["total"] == 2
    assert [(row["key"], row["count"]) for row in participation["by_gender"]] == [("woman", 1), ("", 1)]
    arab = next(row for row in participation["by_region"] if row["key"] == "arab")
    assert arab["label"]["text"] == Region.objects.get(key="arab").name_fr
    assert user.username not in str(inputs) and user.email not in str(inputs)


def test_annex_groups_by_area_objective_kind_in_order(review):
    first = ConsultationFactory(review=review)
    second = ConsultationFactory(review=review)
    late = KeyMessageFactory(consultation=second, kind="recommendations", objectives=[17], text_en="B second")
    early = KeyMessageFactory(consultation=first, kind="recommendations", objectives=[17], text_en="A first")
    progress = KeyMessageFactory(consultation=second, kind="progress", objectives=[17, 2], text_en="Progress")
    KeyMessageFactory(consultation=first, objectives=[17], status=KeyMessage.Status.DRAFT, text_en="Draft")
    KeyMessageFactory(objectives=[17], text_en="Another review")

    annex = selectors.build_annex(review=review, language="en")

    # Objective 2 is in thematic area 1, objective 17 in area 4.
    assert [area["number"] for area in annex] == [1, 4]
    assert [o["number"] for o in annex[0]["objectives"]] == [2]
    seventeen = annex[1]["objectives"][0]
    assert seventeen["number"] == 17
    assert seventeen["title"]["text"] == objective(17).title_en
    assert [group["kind"] for group in seventeen["kinds"]] == ["progress", "recommendations"]
    recommendations = seventeen["kinds"][1]["key_messages"]
    # Within a kind: by consultation date, then the rapporteur's order.
    assert [entry["id"] for entry in recommendations] == [early.pk, late.pk]
    assert recommendations[0]["consultation"]["title"]["text"] == first.title_en
    # A message concerning two objectives appears under each.
    assert annex[0]["objectives"][0]["kinds"][0]["key_messages"][0]["id"] == progress.pk
    assert seventeen["kinds"][0]["key_messages"][0]["id"] == progress.pk


def test_annex_marks_a_missing_language_as_a_fallback_in_the_original_language(consultation):
    KeyMessageFactory(
        consultation=consultation, original_language="fr", text_ar="", text_en="", text_fr="Texte"
    )
    entry = selectors.build_annex(review=consultation.review, language="ar")[0]["objectives"][0]["kinds"][0][
        "key_messages"
    ][0]
    assert entry["text"] == {"text": "Texte", "lang": "fr", "fallback": True}


def test_missing_translations_lists_sections_and_key_messages_with_their_languages(outcome, consultation):
    outcome.way_forward_en = "<p>Only English</p>"
    outcome.save()
    lacking = KeyMessageFactory(consultation=consultation, text_fr="")
    KeyMessageFactory(consultation=consultation, text_ar="", status=KeyMessage.Status.DRAFT)

    missing = selectors.missing_translations(document=outcome)

    assert [(m["kind"], m.get("key"), m["languages"]) for m in missing] == [
        ("section", "way_forward", ["ar", "fr"]),
        ("key_message", None, ["fr"]),
    ]
    assert missing[1]["key_message"] == lacking


def test_content_hash_changes_with_any_input(outcome, consultation):
    km = KeyMessageFactory(consultation=consultation)
    before = selectors.content_hash(selectors.outcome_document_inputs(document=outcome, language="en"))
    assert before == selectors.content_hash(
        selectors.outcome_document_inputs(document=outcome, language="en")
    )
    km.text_en = "Changed"
    km.save()
    assert before != selectors.content_hash(
        selectors.outcome_document_inputs(document=outcome, language="en")
    )


def test_outcome_inputs_take_a_constant_number_of_queries(outcome):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    consultation = ConsultationFactory(review=outcome.review)
    KeyMessageFactory(consultation=consultation)
    with CaptureQueriesContext(connection) as one:
        selectors.outcome_document_inputs(document=outcome, language="en")
    for _ in range(5):
        extra = ConsultationFactory(review=outcome.review)
        RegistrationFactory.create_batch(2, consultation=extra)
        KeyMessageFactory.create_batch(3, consultation=extra, objectives=[1, 17])
    with CaptureQueriesContext(connection) as many:
        selectors.outcome_document_inputs(document=outcome, language="en")
    assert len(many) == len(one)
