"""Synthetic pledges for load tests and benchmarks, clearly marked: `is_synthetic` is set and every title
starts with "[Synthetic]" in its language. Written with bulk_create, so 5,000 pledges take seconds."""

import datetime
import random

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from pledges.cache import bump_dashboard_version
from pledges.models import Pledge, ProgressUpdate, SubmissionStatus
from pledges.traffic_light import ImplementationStatus
from reviews.models import GuidingPrinciple, Objective, PledgeForm, Region, RegionalReview
from stakeholders.models import Organization

PREFIX = {"ar": "[اصطناعي]", "en": "[Synthetic]", "fr": "[Synthétique]"}
ACTIONS = {
    "en": [
        "Open one-stop centres for migrant workers",
        "Train labour inspectors on fair recruitment",
        "Fund community-based reintegration for returnees",
        "Expand regular pathways for skilled workers",
        "Publish disaggregated migration statistics",
        "Provide legal identity documents to stateless migrants",
        "Set up a search-and-rescue coordination mechanism",
        "Lower the cost of remittances through digital channels",
        "Offer alternatives to immigration detention for children",
        "Recognize the qualifications of migrant health workers",
    ],
    "fr": [
        "Ouvrir des guichets uniques pour les travailleurs migrants",
        "Former les inspecteurs du travail au recrutement équitable",
        "Financer la réintégration communautaire des personnes de retour",
        "Élargir les voies régulières pour les travailleurs qualifiés",
        "Publier des statistiques migratoires ventilées",
        "Délivrer des documents d'identité aux migrants apatrides",
        "Créer un mécanisme de coordination du sauvetage en mer",
        "Réduire le coût des envois de fonds par les canaux numériques",
        "Proposer des alternatives à la rétention des enfants",
        "Reconnaître les qualifications des soignants migrants",
    ],
    "ar": [
        "فتح مراكز خدمات موحدة للعمال المهاجرين",
        "تدريب مفتشي العمل على التوظيف العادل",
        "تمويل إعادة الإدماج المجتمعي للعائدين",
        "توسيع المسارات النظامية للعمال المهرة",
        "نشر إحصاءات مصنفة عن الهجرة",
        "توفير وثائق الهوية القانونية للمهاجرين عديمي الجنسية",
        "إنشاء آلية لتنسيق البحث والإنقاذ",
        "خفض تكلفة التحويلات المالية عبر القنوات الرقمية",
        "توفير بدائل لاحتجاز الأطفال المهاجرين",
        "الاعتراف بمؤهلات العاملين الصحيين المهاجرين",
    ],
}
SENTENCES = {
    "en": (
        "This synthetic pledge was generated for testing and does not describe a real commitment. "
        "It names a measurable indicator, a baseline and a target, and reports progress once a year. "
        "The work is carried out with local authorities, civil society and migrants' own organizations. "
    ),
    "fr": (
        "Cet engagement synthétique a été généré pour des essais et ne décrit pas un engagement réel. "
        "Il précise un indicateur mesurable, une situation de référence et une cible, et rend compte chaque année. "
        "Le travail est mené avec les autorités locales, la société civile et les organisations de migrants. "
    ),
    "ar": (
        "هذا تعهد اصطناعي أُنشئ لأغراض الاختبار ولا يصف التزامًا حقيقيًا. "
        "وهو يحدد مؤشرًا قابلًا للقياس وخط أساس وهدفًا، ويقدم تقريرًا عن التقدم مرة كل عام. "
        "ويُنفذ العمل بالتعاون مع السلطات المحلية والمجتمع المدني ومنظمات المهاجرين أنفسهم. "
    ),
}
KINDS = [
    Organization.Kind.STAKEHOLDER,
    Organization.Kind.STAKEHOLDER,
    Organization.Kind.UN_ENTITY,
    Organization.Kind.REGIONAL_ORGANIZATION,
    Organization.Kind.RCP,
    Organization.Kind.OTHER,
]
SYNTHETIC_ORGANIZATIONS = 60
BATCH = 1000


class Command(BaseCommand):
    help = "Create synthetic published pledges (marked is_synthetic, titles prefixed [Synthetic])."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument("--clear", action="store_true", help="Delete earlier synthetic pledges first.")

    def handle(self, *args, count: int, seed: int, clear: bool, **options):
        rng = random.Random(seed)
        with transaction.atomic():
            if clear:
                deleted, _detail = Pledge.objects.filter(is_synthetic=True).delete()
                self.stdout.write(f"Deleted {deleted} synthetic rows.")
            created = self._generate(rng, count)
        self._analyze()
        bump_dashboard_version()
        self.stdout.write(self.style.SUCCESS(f"Created {created} synthetic pledges."))

    def _analyze(self) -> None:
        # Thousands of rows arrive at once: refresh the planner's statistics now rather than when autovacuum
        # gets to it, or the first queries plan for an almost empty table.
        if connection.vendor != "postgresql":
            return
        tables = [Pledge._meta.db_table, ProgressUpdate._meta.db_table]
        tables += [
            getattr(Pledge, name).through._meta.db_table
            for name in ("objectives", "principles", "regions", "reviews")
        ]
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'ANALYZE "{table}"')

    def _organizations(self, rng: random.Random) -> list[Organization]:
        existing = set(
            Organization.objects.filter(name_en__startswith="[Synthetic]").values_list("name_en", flat=True)
        )
        missing = [
            Organization(
                name=f"[Synthetic] Organization {n}",
                name_en=f"[Synthetic] Organization {n}",
                name_fr=f"[Synthétique] Organisation {n}",
                name_ar=f"[اصطناعي] منظمة {n}",
                acronym=f"SYN{n}",
                kind=KINDS[n % len(KINDS)],
            )
            for n in range(1, SYNTHETIC_ORGANIZATIONS + 1)
            if f"[Synthetic] Organization {n}" not in existing
        ]
        Organization.objects.bulk_create(missing)
        # Real Member States pledge too: use those already in the database.
        return list(Organization.objects.filter(name_en__startswith="[Synthetic]")) + list(
            Organization.objects.filter(kind=Organization.Kind.MEMBER_STATE)
        )

    def _generate(self, rng: random.Random, count: int) -> int:
        organizations = self._organizations(rng)
        forms = list(PledgeForm.objects.all())
        objectives = list(Objective.objects.all())
        principles = list(GuidingPrinciple.objects.all())
        regions = list(Region.objects.all())
        reviews = list(RegionalReview.objects.filter(is_published=True))
        now = timezone.now()
        today = timezone.localdate()
        pledges = []
        for _n in range(count):
            language = rng.choices(["en", "fr", "ar"], weights=[5, 3, 2])[0]
            form = rng.choice(forms)
            published_at = now - datetime.timedelta(
                days=rng.randint(0, 5 * 365), minutes=rng.randint(0, 1440)
            )
            start = published_at.date() - datetime.timedelta(days=rng.randint(0, 180))
            end = start + datetime.timedelta(days=rng.randint(180, 6 * 365))
            status = rng.choices(list(ImplementationStatus.values), weights=[3, 6, 2, 1])[0]
            last_progress_on = None
            if rng.random() < 0.6:
                last_progress_on = min(
                    today, published_at.date() + datetime.timedelta(days=rng.randint(1, 900))
                )
            else:
                status = ImplementationStatus.PLANNING
            action = rng.choice(ACTIONS[language])
            pledges.append(
                Pledge(
                    organization=rng.choice(organizations),
                    original_language=language,
                    translation_status={language: "official"},
                    **{
                        f"title_{language}": f"{PREFIX[language]} {action}",
                        f"description_{language}": SENTENCES[language] * 2,
                    },
                    form=form,
                    indicator="Number of people reached",
                    baseline="0",
                    target=str(rng.choice([500, 1000, 5000, 20000])),
                    start_date=start,
                    end_date=end,
                    amount=rng.randint(10, 5000) * 1000 if form.key == "financial" else None,
                    currency=rng.choice(["USD", "EUR", "CHF", "EGP", "MAD"])
                    if form.key == "financial"
                    else "",
                    contact_name="Synthetic contact",
                    contact_email="synthetic@example.invalid",
                    status=SubmissionStatus.PUBLISHED,
                    submitted_at=published_at - datetime.timedelta(days=3),
                    decided_at=published_at,
                    published_at=published_at,
                    implementation_status=status,
                    last_progress_on=last_progress_on,
                    is_synthetic=True,
                )
            )
        Pledge.objects.bulk_create(pledges, batch_size=BATCH)
        links = {"objectives": [], "principles": [], "regions": [], "reviews": []}
        updates = []
        for pledge in pledges:
            links["objectives"] += [
                Pledge.objectives.through(pledge_id=pledge.pk, objective_id=o.pk)
                for o in rng.sample(objectives, rng.randint(1, 3))
            ]
            links["principles"] += [
                Pledge.principles.through(pledge_id=pledge.pk, guidingprinciple_id=p.pk)
                for p in rng.sample(principles, rng.randint(0, 2))
            ]
            links["regions"] += [
                Pledge.regions.through(pledge_id=pledge.pk, region_id=r.pk)
                for r in rng.sample(regions, rng.randint(1, 2))
            ]
            if reviews and rng.random() < 0.3:
                links["reviews"].append(
                    Pledge.reviews.through(pledge_id=pledge.pk, regionalreview_id=rng.choice(reviews).pk)
                )
            if pledge.last_progress_on:
                updates.append(
                    ProgressUpdate(
                        pledge_id=pledge.pk,
                        date=pledge.last_progress_on,
                        implementation_status=pledge.implementation_status,
                        narrative="Synthetic progress update.",
                    )
                )
        for name, rows in links.items():
            getattr(Pledge, name).through.objects.bulk_create(rows, batch_size=BATCH * 5)
        ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH)
        return len(pledges)
