from io import StringIO

import pytest
from django.utils import timezone

from consultations.models import Consultation
from gcm_portal.demo import consultations as demo
from reviews.models import ReviewEvent

pytestmark = pytest.mark.django_db


def test_demo_loads_the_africa_consultation_open_and_in_the_future_and_is_idempotent():
    demo.load(stdout=StringIO())
    demo.load(stdout=StringIO())
    consultation = Consultation.objects.get(slug=demo.AFRICA_SLUG)
    assert consultation.review.slug == "africa-round-1"
    assert consultation.status == Consultation.Status.OPEN and consultation.is_published
    assert consultation.starts_at > timezone.now()
    assert (consultation.starts_at.month, consultation.starts_at.day, consultation.starts_at.hour) == (
        7,
        6,
        10,
    )
    assert "6 July 2021" in consultation.summary_en and "6 juillet 2021" in consultation.summary_fr
    assert consultation.lead_organization.acronym == "IOM"
    assert sorted(consultation.co_lead_organizations.values_list("acronym", flat=True)) == ["AUC", "UNECA"]
    assert sorted(consultation.objectives.values_list("number", flat=True)) == [1, 3, 7, 17, 23]
    assert consultation.agenda_items.count() == 8
    first = consultation.agenda_items.first()
    assert (first.starts_at.hour, first.starts_at.minute) == (10, 0)
    questions = list(consultation.guiding_questions.all())
    assert len(questions) == 5 and not any("X" in q.text_en for q in questions)
    assert "1, 3, 7, 17 and 23" in questions[0].text_en and "X" not in questions[0].text_ar
    assert consultation.translation_status["fr"] == "working"
    assert ReviewEvent.objects.filter(consultation=consultation, kind="stakeholder_consultation").count() == 1
    assert Consultation.objects.filter(slug=demo.AFRICA_SLUG).count() == 1
