"""Demo pledges and written inputs: a handful of realistic commitments, in the language each pledger wrote
in, across the four forms and several objectives, some with progress updates, plus two written inputs to
the Arab region's second review. Idempotent: items are found again by organization and original title.

Dates are relative to today so the traffic lights show every state whenever the demo is loaded.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from pledges.models import Pledge, ProgressUpdate, SubmissionStatus, WrittenInput
from reviews.models import GuidingPrinciple, Objective, PledgeForm, Region, RegionalReview, StakeholderGroup
from stakeholders.models import Organization

# Guiding principles by their keys in the reference data: b international cooperation, f human rights,
# g gender-responsive, h child-sensitive, i whole-of-government, j whole-of-society.
ORGANIZATIONS = {
    "morocco": {
        "kind": "member_state",
        "country": "MA",
        "name": {"ar": "المغرب", "en": "Morocco", "fr": "Maroc"},
    },
    "egypt": {"kind": "member_state", "country": "EG", "name": {"ar": "مصر", "en": "Egypt", "fr": "Égypte"}},
    "iraq": {"kind": "member_state", "country": "IQ", "name": {"ar": "العراق", "en": "Iraq", "fr": "Irak"}},
    "iom": {
        "kind": "un_entity",
        "acronym": "IOM",
        "name": {
            "ar": "المنظمة الدولية للهجرة",
            "en": "International Organization for Migration",
            "fr": "Organisation internationale pour les migrations",
        },
    },
    "network": {
        "kind": "stakeholder",
        "acronym": "MLN-Arab",
        "group": "migrant_diaspora_orgs",
        "country": "LB",
        "name": {
            "ar": "شبكة المنظمات التي يقودها المهاجرون في المنطقة العربية",
            "en": "Migrant-Led Organizations Network of the Arab Region",
            "fr": "Réseau des organisations dirigées par des migrants de la région arabe",
        },
    },
    "unions": {
        "kind": "stakeholder",
        "acronym": "ATUC",
        "group": "trade_unions",
        "country": "JO",
        "name": {
            "ar": "الاتحاد العربي للنقابات",
            "en": "Arab Trade Union Confederation",
            "fr": "Confédération syndicale arabe",
        },
    },
}

PLEDGES = [
    {
        "org": "morocco",
        "language": "fr",
        "form": "policy",
        "objectives": [6, 18],
        "principles": ["f"],
        "regions": ["arab", "africa"],
        "title": "Reconnaissance des compétences des travailleurs migrants",
        "description": (
            "Le Royaume du Maroc s'engage à mettre en place, d'ici fin 2026, un dispositif national de validation "
            "des acquis de l'expérience ouvert aux travailleurs migrants, quel que soit leur statut, dans les "
            "secteurs du bâtiment, de l'agriculture et des services à la personne. Le dispositif sera accessible "
            "en arabe, en français et en anglais, et les frais seront pris en charge par l'État. Un rapport annuel "
            "public présentera le nombre de certifications délivrées, ventilé par sexe et par nationalité."
        ),
        "indicator": "Nombre de certifications délivrées à des travailleurs migrants",
        "baseline": "0 (2023)",
        "target": "5 000 certifications d'ici 2026",
        "published_days_ago": 420,
        "duration_days": 1200,
        "updates": [
            (
                40,
                "in_progress",
                "Premier centre de validation ouvert à Casablanca ; 1 240 candidatures.",
                "1240",
            )
        ],
    },
    {
        "org": "egypt",
        "language": "ar",
        "form": "process",
        "objectives": [1, 3],
        "principles": ["i"],
        "regions": ["arab"],
        "title": "منصة وطنية موحدة لبيانات الهجرة",
        "description": (
            "تلتزم جمهورية مصر العربية بإنشاء منصة وطنية موحدة لبيانات الهجرة تجمع بيانات الوزارات المعنية "
            "والجهاز المركزي للتعبئة العامة والإحصاء، مع تصنيف البيانات حسب الجنس والعمر والجنسية والوضع القانوني. "
            "وستتيح المنصة تقارير دورية للعموم باللغتين العربية والإنجليزية، وستُستخدم لرصد تنفيذ أهداف الاتفاق العالمي "
            "من أجل الهجرة على المستوى الوطني، بالتعاون مع المنظمة الدولية للهجرة واللجنة الاقتصادية والاجتماعية لغربي آسيا."
        ),
        "indicator": "عدد الجهات الحكومية التي تغذي المنصة بالبيانات",
        "baseline": "3 جهات",
        "target": "12 جهة بحلول 2027",
        "published_days_ago": 300,
        "duration_days": 1400,
        "updates": [],
    },
    {
        "org": "iom",
        "language": "en",
        "form": "financial",
        "objectives": [21, 23],
        "principles": ["b"],
        "regions": ["arab"],
        "title": "Community-based reintegration fund for returning migrants",
        "description": (
            "IOM commits USD 4.5 million over three years to a community-based reintegration fund in Egypt, Iraq, "
            "Morocco and Tunisia. The fund supports small businesses, vocational training and psychosocial care "
            "for returning migrants and the communities that receive them, designed with local authorities and "
            "migrant associations. Every grant is tracked in a public dashboard, disaggregated by sex and age."
        ),
        "indicator": "Returning migrants supported with a reintegration grant",
        "baseline": "0",
        "target": "3,000 people by 2027",
        "amount": Decimal("4500000"),
        "currency": "USD",
        "published_days_ago": 500,
        "duration_days": 1100,
        "updates": [
            (330, "in_progress", "Grants launched in Egypt and Morocco; 410 people supported.", "410"),
            (60, "in_progress", "Iraq and Tunisia joined; 1,380 people supported so far.", "1380"),
        ],
    },
    {
        "org": "network",
        "language": "en",
        "form": "human_resources",
        "objectives": [7, 16],
        "principles": ["g", "j"],
        "regions": ["arab"],
        "title": "Peer paralegals for migrant domestic workers",
        "description": (
            "Our network commits twenty trained peer paralegals, themselves former migrant domestic workers, who "
            "will staff a multilingual helpline and weekly legal clinics in Beirut, Amman and Kuwait City. They "
            "accompany workers to labour courts and embassies, document abuses, and refer survivors of violence "
            "to shelters. Each paralegal receives a stipend and continuous training by partner law faculties."
        ),
        "indicator": "Cases accompanied by peer paralegals",
        "baseline": "120 cases a year (volunteers, 2023)",
        "target": "1,000 cases a year",
        "published_days_ago": 700,
        "duration_days": 600,
        "updates": [
            (
                200,
                "fulfilled",
                "All twenty paralegals are in post; 1,150 cases accompanied in the last year.",
                "1150",
            )
        ],
    },
    {
        "org": "iraq",
        "language": "ar",
        "form": "policy",
        "objectives": [4, 15],
        "principles": ["h"],
        "regions": ["arab"],
        "title": "تسجيل المواليد لأطفال المهاجرين والعائدين",
        "description": (
            "تلتزم جمهورية العراق بتعديل تعليمات تسجيل الولادات بحيث يحصل كل طفل يولد على أراضيها، بمن في ذلك أطفال "
            "المهاجرين والعائدين والنازحين، على شهادة ميلاد دون اشتراط وثائق لا يملكها الوالدان. وستُنشأ وحدات متنقلة "
            "للتسجيل المدني في المحافظات التي تستقبل أعدادًا كبيرة من العائدين، مع حملات توعية بالتعاون مع منظمات المجتمع المدني."
        ),
        "indicator": "نسبة الأطفال العائدين المسجلين عند الولادة",
        "baseline": "62% (2023)",
        "target": "95% بحلول 2026",
        "published_days_ago": 800,
        "duration_days": 700,
        "updates": [(500, "in_progress", "صدرت التعليمات المعدلة وبدأت ثلاث وحدات متنقلة العمل.", "71")],
    },
    {
        "org": "unions",
        "language": "fr",
        "form": "process",
        "objectives": [6, 22],
        "principles": ["f"],
        "regions": ["arab"],
        "title": "Portabilité des droits à la sécurité sociale dans la région arabe",
        "description": (
            "La Confédération syndicale arabe s'engage à réunir, deux fois par an, les syndicats et les caisses de "
            "sécurité sociale de six pays d'origine et de destination pour élaborer un modèle d'accord bilatéral de "
            "portabilité des droits à pension et à l'assurance maladie des travailleurs migrants. Le modèle sera "
            "publié en arabe, en anglais et en français et soumis aux gouvernements lors du prochain examen régional."
        ),
        "indicator": "Accords bilatéraux de portabilité signés sur la base du modèle",
        "baseline": "0",
        "target": "3 accords d'ici 2027",
        "published_days_ago": 90,
        "duration_days": 1000,
        "updates": [],
    },
    {
        "org": "morocco",
        "language": "fr",
        "form": "financial",
        "objectives": [20],
        "principles": [],
        "regions": ["arab", "africa"],
        "title": "Réduction du coût des transferts de fonds des migrants",
        "description": (
            "Le Maroc s'engage à cofinancer, à hauteur de 30 millions de dirhams, une plateforme de transfert "
            "numérique à faible coût avec Bank Al-Maghrib et les opérateurs postaux partenaires, afin de ramener "
            "le coût moyen d'un envoi de 200 dollars sous le seuil de 3 % fixé par les objectifs de développement "
            "durable. Une campagne d'éducation financière accompagnera les familles des migrants dans six régions."
        ),
        "indicator": "Coût moyen d'un envoi de 200 USD vers le Maroc",
        "baseline": "6,1 % (2023)",
        "target": "moins de 3 % en 2028",
        "amount": Decimal("30000000"),
        "currency": "MAD",
        "published_days_ago": 150,
        "duration_days": 1500,
        "updates": [
            (20, "in_progress", "La plateforme pilote fonctionne avec deux opérateurs postaux.", "4.8")
        ],
    },
]

WRITTEN_INPUTS = [
    {
        "org": "network",
        "language": "ar",
        "group": "migrant_diaspora_orgs",
        "objectives": [6, 7, 16],
        "title": "أولويات العمال المهاجرين في المنطقة العربية",
        "text": (
            "تدعو شبكة المنظمات التي يقودها المهاجرون الدول العربية إلى إلغاء نظام الكفالة واستبداله بتصاريح عمل "
            "تسمح بتغيير صاحب العمل دون موافقته، وإلى شمول العمال المنزليين بقوانين العمل، وضمان وصول المهاجرين إلى "
            "العدالة بغض النظر عن وضعهم القانوني. كما نوصي بإشراك المنظمات التي يقودها المهاجرون في تصميم السياسات "
            "ورصد تنفيذ الاتفاق العالمي من أجل الهجرة، وبتخصيص تمويل مباشر لها."
        ),
    },
    {
        "org": "unions",
        "language": "en",
        "group": "trade_unions",
        "objectives": [6, 22],
        "title": "Fair recruitment and social protection: trade union recommendations",
        "text": (
            "Trade unions in the Arab region ask the review to recommend that recruitment fees are never charged "
            "to workers, that bilateral labour agreements include standard clauses on wages, rest days and "
            "complaint mechanisms, and that social security agreements let migrant workers keep their pension "
            "and health rights when they move. Unions are ready to monitor these commitments with governments."
        ),
    },
]


def _organization(key: str) -> Organization:
    spec = ORGANIZATIONS[key]
    names = {f"name_{code}": value for code, value in spec["name"].items()}
    if spec["kind"] == "member_state":
        organization, _created = Organization.objects.get_or_create(
            kind="member_state", country=spec["country"], defaults={"name": spec["name"]["en"], **names}
        )
        return organization
    organization = Organization.objects.filter(acronym=spec["acronym"]).first()
    if organization is None:
        group = StakeholderGroup.objects.filter(key=spec.get("group", "")).first()
        organization = Organization.objects.create(
            name=spec["name"]["en"],
            **names,
            acronym=spec["acronym"],
            kind=spec["kind"],
            country=spec.get("country", ""),
            stakeholder_group=group,
        )
    return organization


def _pledge(spec: dict, now: datetime.datetime) -> bool:
    organization = _organization(spec["org"])
    language = spec["language"]
    lookup = {"organization": organization, f"title_{language}": spec["title"]}
    if Pledge.objects.filter(**lookup).exists():
        return False
    published_at = now - datetime.timedelta(days=spec["published_days_ago"])
    start = published_at.date()
    pledge = Pledge.objects.create(
        organization=organization,
        original_language=language,
        translation_status={language: "official"},
        **{f"title_{language}": spec["title"], f"description_{language}": spec["description"]},
        form=PledgeForm.objects.get(key=spec["form"]),
        indicator=spec["indicator"],
        baseline=spec["baseline"],
        target=spec["target"],
        start_date=start,
        end_date=start + datetime.timedelta(days=spec["duration_days"]),
        amount=spec.get("amount"),
        currency=spec.get("currency", ""),
        contact_name="Demo contact",
        contact_email="pledges-demo@example.org",
        status=SubmissionStatus.PUBLISHED,
        submitted_at=published_at - datetime.timedelta(days=5),
        decided_at=published_at,
        published_at=published_at,
    )
    pledge.objectives.set(Objective.objects.filter(number__in=spec["objectives"]))
    pledge.principles.set(GuidingPrinciple.objects.filter(key__in=spec["principles"]))
    pledge.regions.set(Region.objects.filter(key__in=spec["regions"]))
    arab_review = RegionalReview.objects.filter(region__key="arab", round=2).first()
    if arab_review is not None and "arab" in spec["regions"]:
        pledge.reviews.add(arab_review)
    for days_ago, status, narrative, value in sorted(spec["updates"], reverse=True):
        ProgressUpdate.objects.create(
            pledge=pledge,
            date=now.date() - datetime.timedelta(days=days_ago),
            implementation_status=status,
            narrative=narrative,
            indicator_value=Decimal(value),
        )
        pledge.implementation_status = status
        pledge.last_progress_on = now.date() - datetime.timedelta(days=days_ago)
    pledge.save(update_fields=["implementation_status", "last_progress_on"])
    return True


def _written_input(spec: dict, review: RegionalReview, now: datetime.datetime) -> bool:
    organization = _organization(spec["org"])
    language = spec["language"]
    if WrittenInput.objects.filter(
        organization=organization, **{f"title_{language}": spec["title"]}
    ).exists():
        return False
    written = WrittenInput.objects.create(
        organization=organization,
        review=review,
        stakeholder_group=StakeholderGroup.objects.get(key=spec["group"]),
        original_language=language,
        translation_status={language: "official"},
        **{f"title_{language}": spec["title"], f"text_{language}": spec["text"]},
        status=SubmissionStatus.PUBLISHED,
        submitted_at=now - datetime.timedelta(days=12),
        decided_at=now - datetime.timedelta(days=10),
        published_at=now - datetime.timedelta(days=10),
    )
    written.objectives.set(Objective.objects.filter(number__in=spec["objectives"]))
    return True


def load(*, stdout) -> None:
    now = timezone.now()
    created = sum(_pledge(spec, now) for spec in PLEDGES)
    stdout.write(f"Pledges: {created} created, {len(PLEDGES) - created} already there.")
    review = RegionalReview.objects.filter(region__key="arab", round=2).first()
    if review is None:
        stdout.write("Written inputs skipped: the Arab region's second review is not loaded.")
        return
    created = sum(_written_input(spec, review, now) for spec in WRITTEN_INPUTS)
    stdout.write(f"Written inputs: {created} created, {len(WRITTEN_INPUTS) - created} already there.")
