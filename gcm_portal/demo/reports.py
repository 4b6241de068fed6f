"""Demo content for the reports: approved key messages (Arabic, English, French) for the Africa consultation
and for a regional stakeholder consultation of the Arab review, that consultation's summary report, and the
Arab review's outcome document, so its PDFs can be generated in three languages at once. Idempotent."""

import datetime

from django.utils import timezone

from consultations import key_messages
from consultations.models import Consultation, KeyMessage, Registration
from reports.models import ConsultationSummary, OutcomeDocument
from reports.services import save_consultation_summary, save_outcome_document
from reviews.models import Objective, RegionalReview

ARAB_CONSULTATION_SLUG = "arab-regional-stakeholder-consultation-2024"

ARAB_CONSULTATION_TITLE = {
    "ar": "المشاورة الإقليمية لأصحاب المصلحة",
    "en": "Regional stakeholder consultation",
    "fr": "Consultation régionale des parties prenantes",
}

# (kind, objectives, original language, {language: text})
ARAB_KEY_MESSAGES = [
    (
        "progress",
        [17],
        "ar",
        {
            "ar": "حققت عدة دول في المنطقة تقدما في مكافحة خطاب الكراهية ضد المهاجرين من خلال حملات توعية وطنية.",
            "en": "Several countries of the region have made progress against hate speech targeting migrants "
            "through national awareness campaigns.",
            "fr": "Plusieurs pays de la région ont progressé dans la lutte contre les discours de haine visant "
            "les migrants grâce à des campagnes nationales de sensibilisation.",
        },
    ),
    (
        "challenges",
        [1, 17],
        "ar",
        {
            "ar": "لا تزال البيانات المصنفة حسب الجنس والعمر والوضع من حيث الهجرة نادرة، مما يحد من السياسات القائمة على الأدلة.",
            "en": "Data disaggregated by sex, age and migration status remain scarce, which limits "
            "evidence-based policymaking.",
            "fr": "Les données ventilées par sexe, âge et statut migratoire restent rares, ce qui limite "
            "l'élaboration de politiques fondées sur des données probantes.",
        },
    ),
    (
        "practices",
        [6],
        "ar",
        {
            "ar": "ساهمت المنصات الرقمية الحكومية لتوثيق عقود العمل في الحد من استبدال العقود وحماية العمال المهاجرين.",
            "en": "Government digital platforms that register employment contracts have reduced contract "
            "substitution and protected migrant workers.",
            "fr": "Les plateformes numériques publiques d'enregistrement des contrats de travail ont réduit la "
            "substitution de contrats et protégé les travailleurs migrants.",
        },
    ),
    (
        "resources",
        [1, 23],
        "ar",
        {
            "ar": "تحتاج المكاتب الإحصائية الوطنية إلى تمويل مستدام وتدريب لإدماج أسئلة الهجرة في التعدادات والمسوح.",
            "en": "National statistical offices need sustained funding and training to include migration "
            "questions in censuses and surveys.",
            "fr": "Les instituts nationaux de statistique ont besoin de financements durables et de formations "
            "pour intégrer des questions sur les migrations aux recensements et enquêtes.",
        },
    ),
    (
        "recommendations",
        [17, 23],
        "ar",
        {
            "ar": "إشراك المهاجرين ومنظمات المغتربين بشكل منهجي في إعداد خطط التنفيذ الوطنية ورصدها.",
            "en": "Involve migrants and diaspora organizations systematically in preparing and monitoring "
            "national implementation plans.",
            "fr": "Associer systématiquement les migrants et les organisations de la diaspora à l'élaboration "
            "et au suivi des plans nationaux de mise en œuvre.",
        },
    ),
]

AFRICA_KEY_MESSAGES = [
    (
        "progress",
        [1],
        "en",
        {
            "en": "The African Migration Data Network has brought national statistical offices together "
            "around common migration indicators.",
            "ar": "جمعت شبكة بيانات الهجرة الأفريقية المكاتب الإحصائية الوطنية حول مؤشرات مشتركة للهجرة.",
            "fr": "Le Réseau africain de données sur les migrations a réuni les instituts nationaux de "
            "statistique autour d'indicateurs communs.",
        },
    ),
    (
        "challenges",
        [17],
        "en",
        {
            "en": "Misinformation about migration spreads faster on social media than verified information.",
            "ar": "تنتشر المعلومات المضللة عن الهجرة على وسائل التواصل الاجتماعي أسرع من المعلومات الموثقة.",
            "fr": "La désinformation sur les migrations se propage plus vite sur les réseaux sociaux que "
            "l'information vérifiée.",
        },
    ),
    (
        "recommendations",
        [3, 23],
        "en",
        {
            "en": "Provide accurate pre-departure information in the languages migrants speak, with the "
            "African Union Commission and regional economic communities.",
            "ar": "توفير معلومات دقيقة قبل المغادرة باللغات التي يتحدثها المهاجرون، بالتعاون مع مفوضية الاتحاد "
            "الأفريقي والجماعات الاقتصادية الإقليمية.",
            "fr": "Fournir des informations exactes avant le départ dans les langues des migrants, avec la "
            "Commission de l'Union africaine et les communautés économiques régionales.",
        },
    ),
]

OUTCOME_SECTIONS = {
    "preamble": {
        "ar": "<p>نحن، ممثلي الدول الأعضاء وأصحاب المصلحة في المنطقة العربية، اجتمعنا في الاستعراض الإقليمي "
        "الثاني للاتفاق العالمي من أجل الهجرة الآمنة والمنظمة والنظامية.</p>",
        "en": "<p>We, representatives of Member States and stakeholders of the Arab region, met for the second "
        "regional review of the Global Compact for Safe, Orderly and Regular Migration.</p>",
        "fr": "<p>Nous, représentants des États Membres et des parties prenantes de la région arabe, nous sommes "
        "réunis pour le deuxième examen régional du Pacte mondial pour des migrations sûres, ordonnées et "
        "régulières.</p>",
    },
    "main_messages": {
        "ar": "<ul><li>تعزيز جمع البيانات المصنفة واستخدامها.</li><li>مكافحة التمييز وخطاب الكراهية.</li>"
        "<li>توسيع مسارات الهجرة النظامية.</li></ul>",
        "en": "<ul><li>Strengthen the collection and use of disaggregated data.</li><li>Counter discrimination "
        "and hate speech.</li><li>Widen regular migration pathways.</li></ul>",
        "fr": "<ul><li>Renforcer la collecte et l'utilisation de données ventilées.</li><li>Lutter contre la "
        "discrimination et les discours de haine.</li><li>Élargir les voies de migration régulière.</li></ul>",
    },
    "way_forward": {
        "ar": "<p>تُقدَّم هذه الوثيقة إلى الجلسة العامة للجمعية العامة وتُسهم في منتدى استعراض الهجرة الدولية لعام 2026.</p>",
        "en": "<p>This document is presented to the General Assembly plenary and informs the 2026 International "
        "Migration Review Forum.</p>",
        "fr": "<p>Le présent document est présenté à la séance plénière de l'Assemblée générale et éclaire le Forum "
        "d'examen des migrations internationales de 2026.</p>",
    },
}

SUMMARY_TEXTS = {
    "introduction": {
        "ar": "<p>عُقدت المشاورة عبر الإنترنت بمشاركة منظمات المجتمع المدني والنقابات والأوساط الأكاديمية.</p>",
        "en": "<p>The consultation was held online with civil society organizations, trade unions and "
        "academia.</p>",
        "fr": "<p>La consultation s'est tenue en ligne avec des organisations de la société civile, des syndicats "
        "et des universitaires.</p>",
    },
    "next_steps": {
        "ar": "<p>تُدرج الرسائل الرئيسية في مرفق الوثيقة الختامية للاستعراض.</p>",
        "en": "<p>The key messages go into the annex of the review's outcome document.</p>",
        "fr": "<p>Les messages clés figurent à l'annexe du document final de l'examen.</p>",
    },
}

# Anonymous participation figures for the demo consultation: (region, gender, stakeholder group, count).
ARAB_PARTICIPATION = [
    ("arab", "woman", "civil_society", 9),
    ("arab", "man", "civil_society", 6),
    ("arab", "woman", "migrants", 4),
    ("arab", "man", "trade_unions", 3),
    ("africa", "woman", "academia", 2),
    ("arab", "undisclosed", "migrant_diaspora_orgs", 2),
]


def _ensure_key_messages(consultation: Consultation, messages: list) -> int:
    added = 0
    for order, (kind, numbers, original, texts) in enumerate(messages, start=1):
        if KeyMessage.objects.filter(consultation=consultation, text_en=texts["en"]).exists():
            continue
        key_message = key_messages.create_key_message(
            consultation=consultation,
            actor=None,
            kind=kind,
            objectives=Objective.objects.filter(number__in=numbers),
            texts=texts,
            original_language=original,
            order=order,
        )
        key_messages.set_key_message_status(
            key_message=key_message, actor=None, status=KeyMessage.Status.APPROVED
        )
        added += 1
    return added


def _arab_consultation(review: RegionalReview) -> Consultation:
    consultation = Consultation.objects.filter(review=review).order_by("starts_at", "id").first()
    if consultation is not None:
        return consultation
    starts = timezone.make_aware(datetime.datetime(2024, 5, 15, 10, 0), datetime.UTC)
    consultation = Consultation.objects.create(
        review=review,
        slug=ARAB_CONSULTATION_SLUG,
        **{f"title_{code}": title for code, title in ARAB_CONSULTATION_TITLE.items()},
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        format=Consultation.Format.ONLINE,
        interpretation_languages=["ar", "en", "fr"],
        status=Consultation.Status.HELD,
        is_published=True,
    )
    consultation.objectives.set(Objective.objects.filter(number__in=[1, 6, 17, 23]))
    return consultation


def _ensure_participation(consultation: Consultation) -> None:
    if Registration.objects.filter(consultation=consultation).exists():
        return
    Registration.objects.bulk_create(
        Registration(
            consultation=consultation,
            user=None,
            status=Registration.Status.ATTENDED,
            region_key=region,
            gender=gender,
            stakeholder_group_key=group,
        )
        for region, gender, group, count in ARAB_PARTICIPATION
        for _ in range(count)
    )


def load(*, stdout) -> None:
    stdout.write("Reports:")
    africa = RegionalReview.objects.filter(region__key="africa", round=1).first()
    africa_consultation = (
        Consultation.objects.filter(review=africa).order_by("starts_at", "id").first() if africa else None
    )
    if africa_consultation is None:
        stdout.write("  no Africa consultation yet: its key messages are skipped")
    else:
        added = _ensure_key_messages(africa_consultation, AFRICA_KEY_MESSAGES)
        stdout.write(f"  {africa_consultation.title_en}: {added} key messages added")

    arab = RegionalReview.objects.filter(region__key="arab", round=2).first()
    if arab is None:
        stdout.write("  no Arab review: its outcome document is skipped")
        return
    consultation = _arab_consultation(arab)
    _ensure_participation(consultation)
    added = _ensure_key_messages(consultation, ARAB_KEY_MESSAGES)
    stdout.write(f"  {consultation.title_en}: {added} key messages added")
    if not ConsultationSummary.objects.filter(consultation=consultation).exists():
        save_consultation_summary(
            consultation=consultation,
            actor=None,
            texts=SUMMARY_TEXTS,
            status=ConsultationSummary.Status.PUBLISHED,
        )
    if not OutcomeDocument.objects.filter(review=arab).exists():
        save_outcome_document(review=arab, actor=None, texts=OUTCOME_SECTIONS)
    stdout.write(f"  {arab.title_en}: outcome document ready to generate (documents page)")
