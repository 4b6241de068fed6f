"""Key messages (consultations/key_messages.py, views_key_messages.py, admin_key_messages.py), tested here with
the reports that consume them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import key_messages as services
from consultations.models import GuidingQuestion, KeyMessage
from gcm_portal.models import AuditEntry
from reviews.coverage import registered_columns
from reviews.models import Objective

from .factories import ConsultationFactory, KeyMessageFactory


def page_url(consultation):
    return reverse("consultations:key_messages", kwargs={"slug": consultation.slug})


def form_data(**overrides):
    data = {
        "kind": "practices",
        "objectives": [Objective.objects.get(number=17).pk],
        "original_language": "ar",
        "order": "2",
        "text_ar": "نص",
        "text_en": "Text",
        "text_fr": "",
    }
    return data | overrides


def test_create_update_and_approve_are_audited(consultation, rapporteur):
    km = services.create_key_message(
        consultation=consultation,
        actor=rapporteur,
        kind="progress",
        objectives=Objective.objects.filter(number__in=[17, 23]),
        texts={"ar": " نص ", "en": "Text"},
        original_language="ar",
    )
    assert (km.text_ar, km.text_en, km.text_fr, km.status) == ("نص", "Text", "", "draft")
    assert sorted(o.number for o in km.objectives.all()) == [17, 23]
    services.update_key_message(
        key_message=km,
        actor=rapporteur,
        kind="progress",
        objectives=Objective.objects.filter(number=17),
        texts={"ar": "نص", "en": "Text", "fr": "Texte"},
        original_language="ar",
    )
    services.set_key_message_status(key_message=km, actor=rapporteur, status="approved")
    actions = list(
        AuditEntry.objects.filter(object_id=str(km.pk)).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["key_message.create", "key_message.update", "key_message.approved"]
    update = AuditEntry.objects.get(action="key_message.update")
    assert update.before["objectives"] == [17, 23] and update.after["text_fr"] == "Texte"


def test_the_original_language_text_is_required(consultation, rapporteur):
    with pytest.raises(ValueError):
        services.create_key_message(
            consultation=consultation,
            actor=rapporteur,
            kind="progress",
            objectives=[],
            texts={"en": "Only English"},
            original_language="fr",
        )


def test_a_question_of_another_consultation_is_refused(consultation, rapporteur):
    foreign = GuidingQuestion.objects.create(consultation=ConsultationFactory(), text="?")
    with pytest.raises(ValueError):
        services.create_key_message(
            consultation=consultation,
            actor=rapporteur,
            kind="progress",
            objectives=[],
            texts={"en": "x"},
            original_language="en",
            guiding_question=foreign,
        )


def test_rapporteur_page_groups_by_guiding_question(client, rapporteur, consultation):
    second = GuidingQuestion.objects.create(consultation=consultation, order=2, text_en="Second question?")
    first = GuidingQuestion.objects.create(consultation=consultation, order=1, text_en="First question?")
    KeyMessageFactory(consultation=consultation, guiding_question=second, text_en="Answer to two")
    KeyMessageFactory(consultation=consultation, guiding_question=first, text_en="Answer to one")
    KeyMessageFactory(consultation=consultation, text_en="Loose")

    groups = services.group_key_messages_by_question(consultation=consultation)
    assert [(g["question"], [k.text_en for k in g["key_messages"]]) for g in groups] == [
        (first, ["Answer to one"]),
        (second, ["Answer to two"]),
        (None, ["Loose"]),
    ]
    client.force_login(rapporteur)
    body = client.get(page_url(consultation)).content.decode()
    assert body.index("First question?") < body.index("Answer to one") < body.index("Second question?")
    assert body.index("Answer to two") < body.index("Loose")


def test_rapporteur_page_access(client, rapporteur, other_user, staff_user, consultation):
    url = page_url(consultation)
    assert client.get(url).status_code == 302
    for outsider in (other_user, staff_user):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
        assert client.post(url, form_data()).status_code == 403
    client.force_login(rapporteur)
    assert client.get(url).status_code == 200
    assert not KeyMessage.objects.exists()


def test_rapporteur_adds_edits_and_approves_on_the_page(client, rapporteur, consultation):
    client.force_login(rapporteur)
    response = client.post(page_url(consultation), form_data())
    assert response.status_code == 302
    km = KeyMessage.objects.get()
    assert (km.kind, km.text_ar, km.original_language, km.order, km.created_by) == (
        "practices",
        "نص",
        "ar",
        2,
        rapporteur,
    )
    edit = reverse("consultations:key_message_edit", kwargs={"slug": consultation.slug, "pk": km.pk})
    assert client.get(edit).status_code == 200
    client.post(edit, form_data(text_fr="Texte"))
    km.refresh_from_db()
    assert km.text_fr == "Texte"
    status = reverse("consultations:key_message_status", kwargs={"slug": consultation.slug, "pk": km.pk})
    client.post(status, {"status": "approved"})
    km.refresh_from_db()
    assert km.status == "approved"


def test_missing_original_text_is_a_form_error(client, rapporteur, consultation):
    client.force_login(rapporteur)
    response = client.post(page_url(consultation), form_data(text_ar=""))
    assert response.status_code == 400
    assert "Enter the text in its original language." in response.content.decode()
    assert not KeyMessage.objects.exists()


def test_markup_and_bidi_overrides_show_as_text(client, rapporteur, consultation):
    KeyMessageFactory(consultation=consultation, text_en="<script>alert(1)</script>\u202eevil")
    client.force_login(rapporteur)
    body = client.get(page_url(consultation)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;[U+202E]evil" in body
    assert "<script>alert" not in body and "\u202e" not in body


def test_rapporteur_page_queries_do_not_grow(client, rapporteur, consultation):
    question = GuidingQuestion.objects.create(consultation=consultation, text_en="Q?")
    KeyMessageFactory(consultation=consultation, guiding_question=question)
    client.force_login(rapporteur)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(consultation)).status_code == 200
        return len(queries)

    one = count()
    for _ in range(6):
        KeyMessageFactory(consultation=consultation, guiding_question=question, objectives=[1, 2])
    assert count() == one


def test_coverage_column_counts_approved_key_messages_per_objective(review):
    consultation = ConsultationFactory(review=review)
    KeyMessageFactory(consultation=consultation, objectives=[17, 23])
    KeyMessageFactory(consultation=consultation, objectives=[17])
    KeyMessageFactory(consultation=consultation, objectives=[17], status="draft")
    KeyMessageFactory(objectives=[17])
    column = next(c for c in registered_columns() if c.key == "key_messages")
    assert column.count_by_objective(review=review) == {17: 2, 23: 1}


def test_admin_lists_only_the_reviews_the_staff_member_manages(client, rapporteur, consultation):
    from django.contrib.auth.models import Permission

    rapporteur.user_permissions.add(*Permission.objects.filter(codename__endswith="keymessage"))
    mine = KeyMessageFactory(consultation=consultation, text_en="Mine", status="draft")
    KeyMessageFactory(text_en="Not mine")
    client.force_login(rapporteur)
    body = client.get(reverse("admin:consultations_keymessage_changelist")).content.decode()
    assert "Mine" in body and "Not mine" not in body
    client.post(
        reverse("admin:consultations_keymessage_changelist"),
        {"action": "approve_selected", "_selected_action": [mine.pk]},
    )
    mine.refresh_from_db()
    assert mine.status == "approved"
    assert AuditEntry.objects.filter(action="key_message.approved", actor=rapporteur).count() == 1
