"""Demo content for the reviews: the second Arab-region review with its 18-event timeline (from the road
map in data/arab_review_2024.yaml) and the first-round Africa review that holds the Africa consultation.

Arabic is the source text. English comes with the data and French is written here; both are working
translations and stay marked "working" until the secretariat verifies them. Idempotent: run it again and
nothing changes; a translation staff verified stays verified.
"""

import datetime
from pathlib import Path

import yaml

from reviews.models import Region, RegionalReview, ReviewEvent, StakeholderGroup
from reviews.services import upsert_review, upsert_review_event
from stakeholders.models import Organization, ReviewOrganization
from stakeholders.organizations import (
    OrganizerEntry,
    create_member_states,
    set_event_organizers,
    set_review_organizations,
    upsert_organization,
)

DATA = Path(__file__).resolve().parent / "data"
SOURCE_STATUS = {"ar": "seed", "en": "working", "fr": "working"}

K = Organization.Kind
ORGANIZATIONS = {
    "IOM": (
        K.UN_ENTITY,
        None,
        {
            "ar": "المنظمة الدولية للهجرة",
            "en": "International Organization for Migration",
            "fr": "Organisation internationale pour les migrations",
        },
    ),
    "ESCWA": (
        K.REGIONAL_COMMISSION,
        None,
        {
            "ar": "لجنة الأمم المتحدة الاقتصادية والاجتماعية لغربي آسيا",
            "en": "United Nations Economic and Social Commission for Western Asia",
            "fr": "Commission économique et sociale des Nations Unies pour l'Asie occidentale",
        },
    ),
    "LAS": (
        K.REGIONAL_ORGANIZATION,
        None,
        {
            "ar": "جامعة الدول العربية",
            "en": "League of Arab States",
            "fr": "Ligue des États arabes",
        },
    ),
    "UNECA": (
        K.REGIONAL_COMMISSION,
        None,
        {
            "ar": "لجنة الأمم المتحدة الاقتصادية لأفريقيا",
            "en": "United Nations Economic Commission for Africa",
            "fr": "Commission économique des Nations Unies pour l'Afrique",
        },
    ),
    "AUC": (
        K.REGIONAL_ORGANIZATION,
        None,
        {
            "ar": "مفوضية الاتحاد الأفريقي",
            "en": "African Union Commission",
            "fr": "Commission de l'Union africaine",
        },
    ),
    "UN DESA": (
        K.UN_ENTITY,
        None,
        {
            "ar": "إدارة الشؤون الاقتصادية والاجتماعية التابعة للأمم المتحدة",
            "en": "United Nations Department of Economic and Social Affairs",
            "fr": "Département des affaires économiques et sociales des Nations Unies",
        },
    ),
    "OHCHR": (
        K.UN_ENTITY,
        None,
        {
            "ar": "مفوضية الأمم المتحدة السامية لحقوق الإنسان",
            "en": "Office of the United Nations High Commissioner for Human Rights",
            "fr": "Haut-Commissariat des Nations Unies aux droits de l'homme",
        },
    ),
    "UNICEF": (
        K.UN_ENTITY,
        None,
        {
            "ar": "منظمة الأمم المتحدة للطفولة",
            "en": "United Nations Children's Fund",
            "fr": "Fonds des Nations Unies pour l'enfance",
        },
    ),
    "ILO": (
        K.UN_ENTITY,
        None,
        {
            "ar": "منظمة العمل الدولية",
            "en": "International Labour Organization",
            "fr": "Organisation internationale du Travail",
        },
    ),
    "UNHCR": (
        K.UN_ENTITY,
        None,
        {
            "ar": "مفوضية الأمم المتحدة لشؤون اللاجئين",
            "en": "Office of the United Nations High Commissioner for Refugees",
            "fr": "Haut-Commissariat des Nations Unies pour les réfugiés",
        },
    ),
    "ICRC": (
        K.STAKEHOLDER,
        "red_cross_red_crescent",
        {
            "ar": "اللجنة الدولية للصليب الأحمر",
            "en": "International Committee of the Red Cross",
            "fr": "Comité international de la Croix-Rouge",
        },
    ),
    "IFRC": (
        K.STAKEHOLDER,
        "red_cross_red_crescent",
        {
            "ar": "الاتحاد الدولي لجمعيات الصليب الأحمر والهلال الأحمر",
            "en": "International Federation of Red Cross and Red Crescent Societies",
            "fr": "Fédération internationale des Sociétés de la Croix-Rouge et du Croissant-Rouge",
        },
    ),
    "UNGA": (
        K.OTHER,
        None,
        {
            "ar": "الجمعية العامة للأمم المتحدة",
            "en": "United Nations General Assembly",
            "fr": "Assemblée générale des Nations Unies",
        },
    ),
    # No acronyms of their own: found again by their English names.
    "network": (
        K.UN_ENTITY,
        None,
        {
            "ar": "شبكة الأمم المتحدة المعنية بالهجرة في المنطقة العربية",
            "en": "United Nations Network on Migration in the Arab region",
            "fr": "Réseau des Nations Unies sur les migrations dans la région arabe",
        },
    ),
    "network_secretariat": (
        K.UN_ENTITY,
        None,
        {
            "ar": "أمانة الشبكة العالمية",
            "en": "Network Secretariat",
            "fr": "Secrétariat du Réseau",
        },
    ),
    "rsag": (
        K.OTHER,
        None,
        {
            "ar": "الفريق الاستشاري الإقليمي لأصحاب المصلحة",
            "en": "Regional Stakeholder Advisory Group",
            "fr": "Groupe consultatif régional des parties prenantes",
        },
    ),
}
NO_ACRONYM = {"network", "network_secretariat", "rsag"}
MEMBER_STATES = ["QA", "MA", "EG", "AE", "SV", "IQ"]

# The road map names organizers in prose; these are the organizations it means, in its order.
EVENT_ORGANIZERS = {
    "Government of Qatar": ["QA"],
    "Government of Morocco": ["MA"],
    "UN DESA, IOM": ["UN DESA", "IOM"],
    "OHCHR and UNICEF": ["OHCHR", "UNICEF"],
    "Government of Egypt": ["EG"],
    "ILO and IOM": ["ILO", "IOM"],
    "Network Secretariat": ["network_secretariat"],
    "Government of the United Arab Emirates": ["AE"],
    "ICRC, IFRC, IOM, UNHCR": ["ICRC", "IFRC", "IOM", "UNHCR"],
    "Governments of Morocco and El Salvador": ["MA", "SV"],
    "Regional Stakeholder Advisory Group": ["rsag"],
    "League of Arab States": ["LAS"],
    "IOM, ESCWA and the Regional Stakeholder Advisory Group": ["IOM", "ESCWA", "rsag"],
    "IOM, ESCWA and the League of Arab States": ["IOM", "ESCWA", "LAS"],
    "IOM and ESCWA": ["IOM", "ESCWA"],
    "IOM, UNECA and the African Union Commission": ["IOM", "UNECA", "AUC"],
    "General Assembly": ["UNGA"],
}
SUPPORTERS = {
    "United Nations Network on Migration in the Arab region": "network",
    "Network Secretariat": "network_secretariat",
}

# French working translations of the road map's titles, by English title.
FRENCH_TITLES = {
    "Regional dialogue between Gulf and African States": "Dialogue régional entre les États du Golfe et les États africains",
    "GCM Talks: good practices and challenges of bilateral labour migration agreements, including skills mobility partnerships": (
        "Dialogues du Pacte mondial : bonnes pratiques et défis des accords bilatéraux sur les migrations de "
        "main-d'œuvre, y compris les partenariats pour la mobilité des compétences"
    ),
    "GCM Talks: GCM indicators – Arab States": "Dialogues du Pacte mondial : indicateurs du Pacte mondial – États arabes",
    "GCM Talks: regional workstream on alternatives to detention and deprivation of liberty": (
        "Dialogues du Pacte mondial : axe de travail régional sur les alternatives à la détention et à la "
        "privation de liberté"
    ),
    "Sub-regional technical dialogue with North African stakeholders on GCM Objective 21 (safe and dignified return and readmission, and sustainable reintegration)": (
        "Dialogue technique sous-régional avec les parties prenantes d'Afrique du Nord sur l'objectif 21 du "
        "Pacte mondial (retour et réadmission en toute sécurité et dans la dignité, et réintégration durable)"
    ),
    "GCM Talks: regional workstream on climate change, the GCM and the Paris Agreement": (
        "Dialogues du Pacte mondial : axe de travail régional sur les changements climatiques, le Pacte "
        "mondial et l'Accord de Paris"
    ),
    "Global stakeholder consultations for the Asia-Pacific and MENA regions": (
        "Consultations mondiales des parties prenantes pour les régions Asie-Pacifique et Moyen-Orient et "
        "Afrique du Nord"
    ),
    "Abu Dhabi Dialogue annual ministerial meeting": "Réunion ministérielle annuelle du Dialogue d'Abou Dhabi",
    "Regional consultations on actionable recommendations on missing migrants and humanitarian assistance to migrants in distress": (
        "Consultations régionales sur des recommandations concrètes concernant les migrants disparus et "
        "l'assistance humanitaire aux migrants en détresse"
    ),
    "GCM Champion Countries initiative: update on building a balanced, evidence-based narrative on migration and migrants": (
        "Initiative des pays champions du Pacte mondial : point sur la construction d'un discours équilibré "
        "et fondé sur des données factuelles sur les migrations et les migrants"
    ),
    "GCM Talks: regional stakeholder consultations": "Dialogues du Pacte mondial : consultations régionales des parties prenantes",
    "Annual meeting of the Arab Regional Consultative Process on Migration": (
        "Réunion annuelle du Processus consultatif régional arabe sur les migrations"
    ),
    "Regional stakeholder hearings": "Auditions régionales des parties prenantes",
    "Second regional conference for the review of the GCM in the Arab region": (
        "Deuxième conférence régionale d'examen du Pacte mondial dans la région arabe"
    ),
    "Submission of the outcome document to the UN General Assembly plenary": (
        "Présentation du document final à la séance plénière de l'Assemblée générale des Nations Unies"
    ),
    "Multi-stakeholder consultations in Africa": "Consultations multipartites en Afrique",
    "Second continental conference for the review of the GCM in Africa": (
        "Deuxième conférence continentale d'examen du Pacte mondial en Afrique"
    ),
    "UN General Assembly plenary": "Séance plénière de l'Assemblée générale des Nations Unies",
}

FRENCH_REVIEW_OBJECTIVES = [
    "Cerner avec précision les priorités régionales et interrégionales, les questions émergentes et les lacunes "
    "dans la mise en œuvre du Pacte mondial.",
    "Recenser les progrès accomplis au niveau régional et les obstacles à la mise en œuvre des mesures "
    "recommandées dans la Déclaration sur les progrès du Forum d'examen des migrations internationales.",
    "Consolider les principales conclusions et recommandations afin d'éclairer le Forum d'examen des migrations "
    "internationales de 2026.",
    "Mettre en avant les bonnes pratiques et partager les expériences pour accélérer la réalisation des objectifs "
    "du Pacte mondial.",
    "Explorer les possibilités de renforcer la coopération régionale et interrégionale en matière de migrations.",
]

ARAB_PURPOSE = {
    "ar": (
        "يقيّم الاستعراض الإقليمي الثاني للاتفاق العالمي من أجل الهجرة الآمنة والمنظمة والنظامية في المنطقة "
        "العربية مدى تقدّم المنطقة في تنفيذ أهداف الاتفاق الثلاثة والعشرين. وتفضي عملية تحضيرية من الحوارات "
        "ومحادثات الاتفاق العالمي للهجرة ومشاورات أصحاب المصلحة إلى المؤتمر الإقليمي للاستعراض في تموز/يوليو "
        "2024، وتُرفع وثيقته الختامية إلى الجمعية العامة للأمم المتحدة وتُسهم في منتدى استعراض الهجرة الدولية "
        "لعام 2026."
    ),
    "en": (
        "The second regional review of the Global Compact for Safe, Orderly and Regular Migration in the Arab "
        "region takes stock of the region's progress on the Compact's 23 objectives. A preparatory process of "
        "dialogues, GCM Talks and stakeholder consultations leads to the regional review conference in July "
        "2024, whose outcome document goes to the UN General Assembly and informs the 2026 International "
        "Migration Review Forum."
    ),
    "fr": (
        "Le deuxième examen régional du Pacte mondial pour des migrations sûres, ordonnées et régulières dans la "
        "région arabe fait le point sur les progrès de la région au regard des 23 objectifs du Pacte. Un "
        "processus préparatoire de dialogues, de Dialogues du Pacte mondial et de consultations des parties "
        "prenantes conduit à la conférence régionale d'examen de juillet 2024, dont le document final est "
        "transmis à l'Assemblée générale des Nations Unies et éclaire le Forum d'examen des migrations "
        "internationales de 2026."
    ),
}
ARAB_INFORMS = {
    "ar": "الجلسة العامة للجمعية العامة للأمم المتحدة (النصف الثاني من عام 2024) ومنتدى استعراض الهجرة الدولية لعام 2026",
    "en": "The UN General Assembly plenary (second half of 2024) and the International Migration Review Forum 2026",
    "fr": (
        "La séance plénière de l'Assemblée générale des Nations Unies (second semestre 2024) et le Forum "
        "d'examen des migrations internationales de 2026"
    ),
}
AFRICA_TITLE_FR = (
    "Examen continental africain de la mise en œuvre du Pacte mondial pour des migrations sûres, ordonnées "
    "et régulières"
)


def _read(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def _translated(field: str, texts: dict) -> dict:
    return {f"{field}_{lang}": texts.get(lang, "") for lang in ("ar", "en", "fr")}


def _date_fields(value) -> dict:
    """YAML dates come as a day (date), a month ("2023-07" or 2023-07 read as text), a range or a half-year."""
    if isinstance(value, datetime.date):
        return {"date_start": value, "date_end": None, "date_precision": ReviewEvent.Precision.DAY}
    if isinstance(value, dict) and "half" in value:
        month = 1 if value["half"] == 1 else 7
        return {
            "date_start": datetime.date(value["year"], month, 1),
            "date_end": None,
            "date_precision": ReviewEvent.Precision.HALF_YEAR,
        }
    if isinstance(value, dict):
        return {
            "date_start": value["start"],
            "date_end": value["end"],
            "date_precision": ReviewEvent.Precision.RANGE,
        }
    year, month = (int(part) for part in str(value).split("-"))
    return {
        "date_start": datetime.date(year, month, 1),
        "date_end": None,
        "date_precision": ReviewEvent.Precision.MONTH,
    }


def _organizations(stdout) -> dict[str, Organization]:
    groups = {group.key: group for group in StakeholderGroup.objects.all()}
    found = {}
    for key, (kind, group_key, names) in ORGANIZATIONS.items():
        found[key] = upsert_organization(
            actor=None,
            acronym="" if key in NO_ACRONYM else key,
            names=names,
            kind=kind,
            stakeholder_group=groups[group_key] if group_key else None,
            translation_status={"ar": "seed", "en": "working", "fr": "working"},
        )
    for org in create_member_states(actor=None, country_codes=MEMBER_STATES):
        found[org.country.code] = org
    stdout.write(f"  {len(found)} organizations")
    return found


def _load_arab_review(orgs: dict[str, Organization], stdout) -> RegionalReview:
    data = _read("arab_review_2024.yaml")
    source = data["review"]
    objectives = [
        {"ar": item["ar"], "en": item["en"], "fr": FRENCH_REVIEW_OBJECTIVES[index]}
        for index, item in enumerate(source["objectives"])
    ]
    due_year, due_month = (int(part) for part in str(source["outcome_document_due"]).split("-"))
    review = upsert_review(
        actor=None,
        region=Region.objects.get(key=source["region"]),
        round=source["round"],
        values={
            **_translated("title", source["title"]),
            **_translated("purpose", ARAB_PURPOSE),
            **_translated("informs", ARAB_INFORMS),
            "slug": "arab-region-round-2",
            "review_objectives": objectives,
            "conference_start": source["conference"]["start"],
            "conference_end": source["conference"]["end"],
            "outcome_deadline": datetime.date(due_year, due_month, 1),
            "champion_countries": source["champion_countries"],
            "status": RegionalReview.Status.OUTCOME,
            "is_published": True,
        },
        translation_status=SOURCE_STATUS,
    )
    set_review_organizations(
        actor=None,
        review=review,
        role=ReviewOrganization.Role.ORGANIZER,
        organizations=[orgs[key] for key in source["organizers"]],
    )
    set_review_organizations(
        actor=None,
        review=review,
        role=ReviewOrganization.Role.SUPPORTER,
        organizations=[orgs[SUPPORTERS[name]] for name in source["supported_by"]],
    )
    count = 0
    for phase, events in data["timeline"].items():
        for order, item in enumerate(events):
            title = dict(item["title"]) | {"fr": FRENCH_TITLES[item["title"]["en"]]}
            event = upsert_review_event(
                actor=None,
                review=review,
                match_title_en=title["en"],
                values={
                    **_translated("title", title),
                    **_date_fields(item["date"]),
                    "phase": phase,
                    "kind": item.get("kind", ReviewEvent.Kind.OTHER),
                    "is_closed": bool(item.get("closed", False)),
                    "order": order,
                },
                objective_numbers=item.get("objectives", []),
                translation_status=SOURCE_STATUS,
            )
            keys = EVENT_ORGANIZERS.get(item["organizer"]["en"])
            entries = (
                [OrganizerEntry(organization=orgs[key]) for key in keys]
                if keys
                else [OrganizerEntry(names=dict(item["organizer"]))]
            )
            set_event_organizers(
                actor=None, event=event, organizers=entries, translation_status=SOURCE_STATUS
            )
            count += 1
    stdout.write(f"  {review.title_en}: {count} timeline events")
    return review


def _load_africa_review(orgs: dict[str, Organization], stdout) -> RegionalReview:
    source = _read("africa_consultation_2021.yaml")["review"]
    review = upsert_review(
        actor=None,
        region=Region.objects.get(key=source["region"]),
        round=source["round"],
        values={
            **_translated("title", source["title"] | {"fr": AFRICA_TITLE_FR}),
            "slug": "africa-round-1",
            "status": RegionalReview.Status.CLOSED,
            "is_published": True,
        },
        translation_status=SOURCE_STATUS,
    )
    set_review_organizations(
        actor=None,
        review=review,
        role=ReviewOrganization.Role.ORGANIZER,
        organizations=[orgs[key] for key in source["organizers"]],
    )
    stdout.write(f"  {review.title_en}")
    return review


def load(*, stdout) -> None:
    stdout.write("Reviews:")
    orgs = _organizations(stdout)
    _load_arab_review(orgs, stdout)
    _load_africa_review(orgs, stdout)
