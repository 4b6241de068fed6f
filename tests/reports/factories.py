"""Factories for the reports tests: consultations, registrations and key messages (the consultations app's
models, built here to the shape the reports need) and the reports' own documents."""

import datetime

import factory
from django.utils import timezone

from consultations.models import Consultation, KeyMessage, Registration
from reports.models import ConsultationSummary, OutcomeDocument
from reviews.models import Objective
from tests.factories import RegionalReviewFactory


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    review = factory.SubFactory(RegionalReviewFactory)
    title_en = factory.Sequence(lambda n: f"Consultation {n}")
    title_ar = factory.Sequence(lambda n: f"مشاورة {n}")
    title_fr = factory.Sequence(lambda n: f"Consultation n° {n}")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    starts_at = factory.Sequence(
        lambda n: timezone.make_aware(datetime.datetime(2024, 3, 1, 10)) + datetime.timedelta(days=n)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    status = Consultation.Status.HELD
    is_published = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    consultation = factory.SubFactory(ConsultationFactory)
    user = None
    status = Registration.Status.CONFIRMED
    region_key = "arab"
    gender = "woman"
    stakeholder_group_key = "civil_society"


class KeyMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyMessage
        skip_postgeneration_save = True

    consultation = factory.SubFactory(ConsultationFactory)
    kind = KeyMessage.Kind.RECOMMENDATIONS
    text_en = factory.Sequence(lambda n: f"Key message {n} in English")
    text_ar = factory.Sequence(lambda n: f"الرسالة الرئيسية {n}")
    text_fr = factory.Sequence(lambda n: f"Message clé {n}")
    original_language = "en"
    status = KeyMessage.Status.APPROVED

    @factory.post_generation
    def objectives(obj, create, extracted, **kwargs):
        if create:
            numbers = extracted if extracted is not None else [17]
            obj.objectives.set(Objective.objects.filter(number__in=numbers))


class OutcomeDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeDocument

    review = factory.SubFactory(RegionalReviewFactory)
    preamble_en = "<p>We, the participants, met in Cairo.</p>"
    preamble_ar = "<p>نحن المشاركين اجتمعنا في القاهرة.</p>"
    preamble_fr = "<p>Nous, participants, nous sommes réunis au Caire.</p>"
    main_messages_en = "<p>Cooperation matters.</p>"
    main_messages_ar = "<p>التعاون مهم.</p>"
    main_messages_fr = "<p>La coopération compte.</p>"


class ConsultationSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationSummary

    consultation = factory.SubFactory(ConsultationFactory)
    introduction_en = "<p>The consultation gathered stakeholders.</p>"
    introduction_ar = "<p>جمعت المشاورة أصحاب المصلحة.</p>"
    introduction_fr = "<p>La consultation a réuni les parties prenantes.</p>"
