"""Demo content for consultations: the Africa review's first stakeholder consultation (thematic area 4, from
data/africa_consultation_2021.yaml) and a hybrid consultation in the Arab-region review that needs approval.

The real Africa consultation took place on 6 July 2021. So that visitors can try registering, the demo moves
it to the next 6 July at least two weeks ahead, keeping the time of day (10:00–12:00 GMT), and says so on the
page. Arabic and English come with the data (Arabic is the source); French is written here. Both English and
French are working translations and stay marked "working" until the secretariat verifies them.
Idempotent: running it again updates the same rows.
"""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.utils import timezone

from consultations import services
from consultations.models import AgendaItem, Consultation, GuidingQuestion
from reviews.models import Objective, Region, RegionalReview, ThematicArea
from stakeholders.models import Organization

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("ar", "en", "fr")
STATUS = {"ar": "seed", "en": "working", "fr": "working"}
AFRICA_SLUG = "africa-ta4-policymaking-data-cooperation"
ARAB_SLUG = "arab-labour-mobility-decent-work"

ORGANIZATIONS = {
    "IOM": (
        Organization.Kind.UN_ENTITY,
        {
            "ar": "المنظمة الدولية للهجرة",
            "en": "International Organization for Migration",
            "fr": "Organisation internationale pour les migrations",
        },
    ),
    "AUC": (
        Organization.Kind.REGIONAL_ORGANIZATION,
        {
            "ar": "مفوضية الاتحاد الأفريقي",
            "en": "African Union Commission",
            "fr": "Commission de l'Union africaine",
        },
    ),
    "UNECA": (
        Organization.Kind.REGIONAL_COMMISSION,
        {
            "ar": "لجنة الأمم المتحدة الاقتصادية لأفريقيا",
            "en": "United Nations Economic Commission for Africa",
            "fr": "Commission économique des Nations Unies pour l'Afrique",
        },
    ),
    "ESCWA": (
        Organization.Kind.REGIONAL_COMMISSION,
        {
            "ar": "لجنة الأمم المتحدة الاقتصادية والاجتماعية لغربي آسيا",
            "en": "United Nations Economic and Social Commission for Western Asia",
            "fr": "Commission économique et sociale des Nations Unies pour l'Asie occidentale",
        },
    ),
}

AFRICA_TITLE_FR = (
    "Améliorer l'élaboration des politiques et le débat public fondés sur les valeurs et les données "
    "factuelles, et renforcer la coopération en matière de migration"
)
AFRICA_REVIEW_TITLE_FR = (
    "Examen continental africain de la mise en œuvre du Pacte mondial pour des migrations sûres, ordonnées "
    "et régulières"
)
AFRICA_SUMMARY = {
    "ar": (
        "<p>المشاورة الأولى لأصحاب المصلحة في الاستعراض القاري لأفريقيا، حول المجال المواضيعي الرابع: الأهداف 1 و3 "
        "و7 و17 و23. لكل موضوع متحدثان من أصحاب المصلحة (5 إلى 7 دقائق لكل منهما) ثم عشر دقائق للنقاش. "
        "يُنشر بعد المشاورة تقرير موجز بمساهمات أصحاب المصلحة.</p>"
        "<p><em>عرض توضيحي: عُقدت المشاورة الحقيقية في 6 تموز/يوليو 2021؛ نُقلت التواريخ إلى المستقبل "
        "ليكون التسجيل مفتوحًا.</em></p>"
    ),
    "en": (
        "<p>The first stakeholder consultation of the Africa continental review, on thematic area 4: "
        "objectives 1, 3, 7, 17 and 23. Two stakeholder presenters per topic (5–7 minutes each), then ten "
        "minutes of discussion. A summary report with the stakeholders' inputs is published afterwards.</p>"
        "<p><em>Demo: the real consultation took place on 6 July 2021; the dates are moved into the future so "
        "that registration is open.</em></p>"
    ),
    "fr": (
        "<p>Première consultation des parties prenantes de l'examen continental africain, sur le domaine "
        "thématique 4 : objectifs 1, 3, 7, 17 et 23. Deux intervenants par thème (5 à 7 minutes chacun), puis "
        "dix minutes de discussion. Un rapport de synthèse des contributions est publié ensuite.</p>"
        "<p><em>Démonstration : la consultation réelle a eu lieu le 6 juillet 2021 ; les dates sont déplacées "
        "dans le futur pour que l'inscription soit ouverte.</em></p>"
    ),
}
AGENDA_FR = [
    "Accueil et introduction",
    "Le Pacte mondial sur les migrations – séance préparatoire",
    "Introduction au domaine thématique 4 et aux objectifs du Pacte relatifs aux données",
    "Disponibilité, ventilation et utilisation des données",
    "Diversité, inclusion et cohésion sociale",
    "Renforcement des capacités",
    "Constats et conclusions",
    "Recommandations et suite des travaux",
]
OBJECTIVES_TEXT = {"ar": "1 و3 و7 و17 و23", "en": "1, 3, 7, 17 and 23", "fr": "1, 3, 7, 17 et 23"}
QUESTIONS_FR = [
    "Où en sommes-nous des objectifs {objectives} au niveau continental ?",
    "Quels sont les principaux obstacles à la mise en œuvre des objectifs {objectives} ?",
    "Des bonnes pratiques et des enseignements se sont-ils dégagés depuis l'adoption du Pacte ?",
    "Quels projets en cours et quelles ressources peuvent soutenir ces objectifs ?",
    "Que recommandez-vous pour mettre en œuvre les objectifs {objectives} au cours des 12 prochains mois ?",
]


def _read(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def _translated(field: str, texts: dict) -> dict:
    return {f"{field}_{code}": texts.get(code, "") for code in LANGUAGES}


def _organization(acronym: str) -> Organization:
    """The organization with this acronym (another demo module may have created it first), or a new one."""
    found = Organization.objects.filter(acronym=acronym).order_by("pk").first()
    if found is not None:
        return found
    kind, names = ORGANIZATIONS[acronym]
    return Organization.objects.create(
        acronym=acronym, kind=kind, translation_status=STATUS, **_translated("name", names), name=names["en"]
    )


def _africa_review(source: dict) -> RegionalReview:
    review = RegionalReview.objects.filter(slug="africa-round-1").first()
    if review is None:
        region = Region.objects.get(key=source["region"])
        review = RegionalReview.objects.filter(region=region, round=source["round"]).first()
    if review is None:
        review = RegionalReview.objects.create(
            region=Region.objects.get(key=source["region"]),
            round=source["round"],
            slug="africa-round-1",
            title=source["title"]["en"],
            **_translated("title", source["title"] | {"fr": AFRICA_REVIEW_TITLE_FR}),
            status=RegionalReview.Status.CLOSED,
            is_published=True,
            translation_status=STATUS,
        )
    return review


def _next_anniversary(month: int, day: int, hour: int, minute: int, zone: str) -> datetime.datetime:
    """The next `month`/`day` at least two weeks ahead, at the same time of day in `zone`."""
    earliest = timezone.now() + datetime.timedelta(days=14)
    year = earliest.year
    while True:
        candidate = datetime.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))
        if candidate >= earliest:
            return candidate
        year += 1


def _at(day: datetime.datetime, hhmm: str) -> datetime.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return day.replace(hour=hour, minute=minute)


def _save(slug: str, values: dict, objectives: list[int], co_leads: list[Organization]) -> Consultation:
    consultation = Consultation.objects.filter(slug=slug).first() or Consultation(slug=slug)
    for name, value in values.items():
        setattr(consultation, name, value)
    services.save_consultation(consultation=consultation, actor=None)
    consultation.objectives.set(Objective.objects.filter(number__in=objectives))
    consultation.co_lead_organizations.set(co_leads)
    services.sync_timeline_event(consultation=consultation, actor=None)
    return consultation


def _load_africa(stdout) -> Consultation:
    data = _read("africa_consultation_2021.yaml")
    source = data["consultation"]
    original_start = source["starts"]
    start = _next_anniversary(original_start.month, original_start.day, 10, 0, "GMT")
    consultation = _save(
        AFRICA_SLUG,
        {
            "review": _africa_review(data["review"]),
            "thematic_area": ThematicArea.objects.get(number=source["thematic_area"]),
            "title": source["title"]["en"],
            **_translated("title", source["title"] | {"fr": AFRICA_TITLE_FR}),
            **_translated("summary", AFRICA_SUMMARY),
            "lead_organization": _organization(source["lead"]),
            "format": Consultation.Format.ONLINE,
            "starts_at": start,
            "ends_at": _at(start, "12:00"),
            "time_zone": "GMT",
            "interpretation_languages": ["ar", "en", "fr"],
            "meeting_link": "https://meet.example.org/gcm-africa-thematic-area-4-demo",
            "capacity": 150,
            "registration_opens_at": None,
            "registration_closes_at": start - datetime.timedelta(days=1),
            "requires_approval": False,
            "status": Consultation.Status.OPEN,
            "is_published": True,
            "balance_targets": {"gender": {"woman": 50, "man": 50}},
            "translation_status": STATUS,
        },
        source["objectives"],
        [_organization(acronym) for acronym in source["co_leads"]],
    )
    # Updated in place, never deleted and recreated: key messages may point at agenda items and questions.
    for order, item in enumerate(source["agenda"]):
        AgendaItem.objects.update_or_create(
            consultation=consultation,
            order=order,
            defaults={
                "starts_at": _at(start, item["start"]),
                "ends_at": _at(start, item["end"]),
                "kind": item["kind"],
                "title": item["title"]["en"],
                **_translated("title", item["title"] | {"fr": AGENDA_FR[order]}),
                "translation_status": STATUS,
            },
        )
    focus = list(Objective.objects.filter(number__in=source["objectives"]))
    for order, question in enumerate(source["guiding_questions"]):
        texts = {
            "en": question["en"].replace("X and X", OBJECTIVES_TEXT["en"]),
            "ar": question["ar"]
            .replace("هذين الهدفين X و X", "الأهداف " + OBJECTIVES_TEXT["ar"])
            .replace("الهدفين X و X", "الأهداف " + OBJECTIVES_TEXT["ar"]),
            "fr": QUESTIONS_FR[order].format(objectives=OBJECTIVES_TEXT["fr"]),
        }
        saved, _created = GuidingQuestion.objects.update_or_create(
            consultation=consultation,
            order=order,
            defaults={"text": texts["en"], "translation_status": STATUS, **_translated("text", texts)},
        )
        saved.objectives.set(focus if "X" in question["en"] else [])
    for order, title in enumerate(source["background_documents"]):
        link = "https://undocs.org/A/RES/73/195" if title.startswith("Global Compact for Safe") else ""
        consultation.documents.update_or_create(
            order=order,
            defaults={"title": title, "title_en": title, "link": link, "translation_status": STATUS},
        )
    stdout.write(f"  {consultation.title_en} (open, {start:%d %B %Y %H:%M} GMT, dates shifted for the demo)")
    return consultation


def _load_arab(stdout) -> Consultation | None:
    review = RegionalReview.objects.filter(slug="arab-region-round-2").first()
    if review is None:
        stdout.write("  (no Arab-region review: its consultation is skipped)")
        return None
    start = _next_anniversary(5, 14, 9, 30, "Asia/Beirut")
    consultation = _save(
        ARAB_SLUG,
        {
            "review": review,
            "thematic_area": ThematicArea.objects.get(number=1),
            "title": "Regional stakeholder consultation: labour mobility and decent work",
            **_translated(
                "title",
                {
                    "ar": "مشاورة إقليمية لأصحاب المصلحة: تنقل اليد العاملة والعمل اللائق",
                    "en": "Regional stakeholder consultation: labour mobility and decent work",
                    "fr": "Consultation régionale des parties prenantes : mobilité de la main-d'œuvre et travail décent",
                },
            ),
            **_translated(
                "summary",
                {
                    "ar": "<p>مشاورة تجريبية (عرض توضيحي) حول الهدفين 5 و6. الأماكن محدودة ويوافق المنظمون "
                    "على كل تسجيل لضمان مشاركة متوازنة.</p>",
                    "en": "<p>A demo consultation on objectives 5 and 6. Seats are limited and the organizers "
                    "approve each registration to keep participation balanced.</p>",
                    "fr": "<p>Consultation de démonstration sur les objectifs 5 et 6. Les places sont limitées "
                    "et les organisateurs approuvent chaque inscription pour une participation équilibrée.</p>",
                },
            ),
            **_translated(
                "venue",
                {
                    "ar": "بيت الأمم المتحدة، بيروت",
                    "en": "UN House, Beirut",
                    "fr": "Maison des Nations Unies, Beyrouth",
                },
            ),
            "venue": "UN House, Beirut",
            "lead_organization": _organization("IOM"),
            "format": Consultation.Format.HYBRID,
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=3),
            "time_zone": "Asia/Beirut",
            "interpretation_languages": ["ar", "en", "fr"],
            "meeting_link": "https://meet.example.org/gcm-arab-labour-mobility-demo",
            "capacity": 60,
            "registration_opens_at": None,
            "registration_closes_at": start - datetime.timedelta(days=3),
            "requires_approval": True,
            "status": Consultation.Status.OPEN,
            "is_published": True,
            "balance_targets": {"gender": {"woman": 50, "man": 50}, "stakeholder_group": {"migrants": 25}},
            "translation_status": STATUS,
        },
        [5, 6],
        [_organization("ESCWA")],
    )
    stdout.write(f"  {consultation.title_en} (open, needs approval)")
    return consultation


def load(*, stdout) -> None:
    stdout.write("Consultations:")
    _load_africa(stdout)
    _load_arab(stdout)
