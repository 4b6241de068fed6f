"""List pages at small and large data: queries per page and how much slower a page gets as the tables grow.

Two PostgreSQL databases, each created, migrated and filled with the demo content when missing, plus a viewer
with two registrations and two more people registered for the Africa consultation, plus synthetic data
(`SCALES`):

- `gcm_bench_small` (small): just enough for every paginated list to fill one page, so both databases render
  the same number of rows and the ratio measures the growth of the tables, not of the page: 60 stakeholders,
  600 registrations over 20 synthetic consultations (plus 50 on the Africa consultation), 10 more
  registrations of the viewer, 25 synthetic pledges, 25 published written inputs on the Arab review. (Its own
  database: `gcm_bench`, the demo alone, stays what the load phase of bench/run_all.py measures.)
- `gcm_bench_large` (large): 10,000 stakeholders with profiles, 100,000 registrations over 400 synthetic
  consultations (plus 140 on the Africa consultation the organizer page shows), 10 more registrations of the
  viewer, 5,000 synthetic pledges (`generate_pledges`) and 500 published written inputs on the Arab review.

Filled with bulk_create in batches, once: a later run counts the synthetic rows and refills only when they
differ from `SCALES` (so a change of the scale rebuilds the data).

Every page is requested through the Django test client with the page cache off (DummyCache), so the view
really builds it: once under CaptureQueriesContext for the query count, then WARMUP + REPEAT times for the
median latency. The pledges dashboard, which caches its data, is measured twice: as visitors get it (cache
on, its entry made afresh at the first warm-up request; this figure counts for the target) and, for
information, with the cache off. Run by bench/run_all.py in a fresh process per database (Django is set up for one database
per process); prints one JSON line:

    python -m bench.pages --size small|large
"""

import argparse
import contextlib
import dataclasses
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DATABASES = {"small": "gcm_bench_small", "large": "gcm_bench_large"}
WARMUP, REPEAT = 3, 15
BATCH = 5_000


@dataclasses.dataclass(frozen=True)
class Scale:
    """The synthetic data of one database."""

    prefix: str  # of the synthetic usernames and consultation slugs
    review: str  # slug of the review holding the synthetic consultations
    stakeholders: int
    registrations: int  # spread over `consultations`, ten per person
    consultations: int
    organizer_rows: int  # more registrations on the organizer page's consultation (capacity 150)
    viewer_extra: int  # more registrations of the viewer
    pledges: int
    inputs: int  # published written inputs on the Arab review


# Small: one full page of every paginated list (consultations 20, pledges 25, inputs 25, participants 50 —
# the demo adds its own rows) and as many registrations of the viewer as in the large database.
SCALES = {
    "small": Scale(
        prefix="bench-fill-",
        review="bench-small-review",
        stakeholders=60,
        registrations=600,
        consultations=20,
        organizer_rows=50,
        viewer_extra=10,
        pledges=25,
        inputs=25,
    ),
    "large": Scale(
        prefix="bench-large-",
        review="bench-large-review",
        stakeholders=10_000,
        registrations=100_000,
        consultations=400,
        organizer_rows=140,
        viewer_extra=10,
        pledges=5_000,
        inputs=500,
    ),
}

INPUT_MARK = "[Synthetic input]"
VIEWER = "bench-viewer"
ORGANIZER = "bench-organizer"
REVIEW_SLUG = "arab-region-round-2"
CONSULTATION_SLUG = "africa-ta4-policymaking-data-cooperation"
OTHER_CONSULTATION_SLUG = "arab-labour-mobility-decent-work"


@dataclasses.dataclass(frozen=True)
class ListPage:
    """A list page of issue 7, the person who may see it, and the context entry holding the rows it shows
    ("page": a paginator page), so the figures say how much each page lists."""

    name: str
    path: str
    who: str
    rows: str | None
    cached: bool = False  # measured with the site's cache on (the page cache is off for all others)
    target: bool = True  # False: printed for information, the latency target does not apply


LIST_PAGES = [
    ListPage("home", "/en/", "anonymous", "thematic_areas"),
    ListPage("reviews-list", "/en/reviews/", "anonymous", "reviews"),
    ListPage("review", f"/en/reviews/{REVIEW_SLUG}/", "anonymous", "event_count"),
    ListPage("consultations-list", "/en/consultations/", "anonymous", "page"),
    ListPage("pledges-list", "/en/pledges/list/", "anonymous", "page"),
    ListPage("pledges-dashboard", "/en/pledges/", "anonymous", None, cached=True),
    ListPage("pledges-dashboard-uncached", "/en/pledges/", "anonymous", None, target=False),
    ListPage("review-inputs", f"/en/reviews/{REVIEW_SLUG}/inputs/", "anonymous", "page"),
    ListPage("my-registrations", "/en/consultations/my-registrations/", "viewer", "registrations"),
    ListPage(
        "organizer-participants",
        f"/en/consultations/{CONSULTATION_SLUG}/organizer/",
        "organizer",
        "participants",
    ),
]


def database_url(size: str) -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gcm_portal")
    return urlunsplit(urlsplit(url)._replace(path=f"/{DATABASES[size]}"))


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup(size: str) -> None:
    os.environ["DATABASE_URL"] = database_url(size)
    # Both databases' processes may share one Redis DB: their cache entries must not meet.
    os.environ["CACHE_KEY_PREFIX"] = f"gcm-bench-pages-{size}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gcm_portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()


# --- data ----------------------------------------------------------------------------------------------------


def _quiet_command(*args, **options) -> None:
    from django.core.management import call_command

    with open(os.devnull, "w") as quiet:
        call_command(*args, stdout=quiet, stderr=quiet, verbosity=0, **options)


def _profile(user, n: int, groups, now):
    from stakeholders.models import StakeholderProfile

    genders = [g for g, _label in StakeholderProfile.Gender.choices]
    return StakeholderProfile(
        user=user,
        full_name=f"Bench Person {n}",
        stakeholder_group=groups[n % len(groups)],
        country=("EG", "KE", "NG", "MA", "LB", "JO", "SN", "ZA", "TN", "GH")[n % 10],
        gender=genders[n % len(genders)],
        preferred_language=("ar", "en", "fr")[n % 3],
        terms_accepted_at=now,
    )


def _registration(consultation_id: int, user_id: int, n: int, *, waitlisted: bool, now):
    from consultations.models import Registration

    return Registration(
        consultation_id=consultation_id,
        user_id=user_id,
        status=Registration.Status.WAITLISTED if waitlisted else Registration.Status.CONFIRMED,
        region_key=("africa", "arab", "europe")[n % 3],
        gender=("woman", "man")[n % 2],
        stakeholder_group_key="civil_society",
        interpretation_language=("", "ar", "fr")[n % 3],
        waitlisted_at=now + datetime.timedelta(seconds=n) if waitlisted else None,
        confirmed_at=None if waitlisted else now,
    )


def ensure_people() -> None:
    """The viewer (two registrations) and the organizer (a superuser), and two more people registered for
    the organizer page's consultation; in both databases."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from consultations.models import Consultation, Registration
    from reviews.models import StakeholderGroup

    user_model = get_user_model()
    if user_model.objects.filter(username=VIEWER).exists():
        return
    now = timezone.now()
    groups = list(StakeholderGroup.objects.order_by("order"))
    viewer = user_model.objects.create_user(VIEWER, f"{VIEWER}@example.org", None)
    user_model.objects.create_superuser(ORGANIZER, f"{ORGANIZER}@example.org", None)
    others = [
        user_model.objects.create_user(f"bench-small-{n}", f"bench-small-{n}@example.org") for n in (1, 2)
    ]
    from stakeholders.models import StakeholderProfile

    StakeholderProfile.objects.bulk_create(
        [_profile(user, n, groups, now) for n, user in enumerate([viewer, *others])]
    )
    africa = Consultation.objects.get(slug=CONSULTATION_SLUG)
    arab = Consultation.objects.get(slug=OTHER_CONSULTATION_SLUG)
    Registration.objects.bulk_create(
        [
            _registration(africa.pk, viewer.pk, 0, waitlisted=False, now=now),
            _registration(arab.pk, viewer.pk, 1, waitlisted=True, now=now),
            *(_registration(africa.pk, u.pk, n + 2, waitlisted=False, now=now) for n, u in enumerate(others)),
        ]
    )


def is_filled(scale: Scale) -> bool:
    """Whether the synthetic rows are there in the numbers `scale` asks for."""
    from django.contrib.auth import get_user_model

    from consultations.models import Consultation, Registration
    from pledges.models import Pledge, WrittenInput

    return (
        get_user_model().objects.filter(username__startswith=scale.prefix).count() == scale.stakeholders
        and Consultation.objects.filter(slug__startswith=scale.prefix).count() == scale.consultations
        and Registration.objects.filter(user__username__startswith=scale.prefix).count()
        == scale.registrations + scale.organizer_rows
        and Registration.objects.filter(user__username=VIEWER).count() == 2 + scale.viewer_extra
        and Pledge.objects.filter(is_synthetic=True).count() == scale.pledges
        and WrittenInput.objects.filter(title_en__startswith=INPUT_MARK).count() == scale.inputs
    )


def fill(scale: Scale) -> None:
    """The stakeholders, registrations, pledges and written inputs of `scale`, in one transaction (an
    interrupted run leaves nothing half-made behind for the next one to trip on)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from consultations.models import Consultation, Registration
    from pledges.models import Pledge, SubmissionStatus, WrittenInput
    from reviews.models import Objective, Region, RegionalReview, StakeholderGroup
    from stakeholders.models import Organization, StakeholderProfile

    user_model = get_user_model()
    now = timezone.now()
    groups = list(StakeholderGroup.objects.order_by("order"))
    objectives = list(Objective.objects.order_by("number"))
    with transaction.atomic():
        # Leftovers of an earlier, different fill: start over (the capacity trigger allows no shortcuts).
        Registration.objects.filter(user__username__startswith=scale.prefix).delete()
        Registration.objects.filter(consultation__slug__startswith=scale.prefix).delete()
        Consultation.objects.filter(slug__startswith=scale.prefix).delete()
        RegionalReview.objects.filter(slug=scale.review).delete()
        user_model.objects.filter(username__startswith=scale.prefix).delete()
        WrittenInput.objects.filter(title_en__startswith=INPUT_MARK).delete()
        Pledge.objects.filter(is_synthetic=True).delete()

        user_model.objects.bulk_create(
            (
                user_model(
                    username=f"{scale.prefix}{n:05d}",
                    email=f"{scale.prefix}{n:05d}@example.org",
                    password="!",
                )
                for n in range(scale.stakeholders)
            ),
            batch_size=BATCH,
        )
        users = list(user_model.objects.filter(username__startswith=scale.prefix).order_by("username"))
        StakeholderProfile.objects.bulk_create(
            (_profile(user, n, groups, now) for n, user in enumerate(users)), batch_size=BATCH
        )

        review = RegionalReview.objects.create(
            region=Region.objects.get(key="africa"),
            round=98,
            slug=scale.review,
            title_en="Benchmark review",
            title_fr="Examen de référence",
            title_ar="استعراض القياس",
            is_published=True,
        )
        starts = now + datetime.timedelta(days=40)
        Consultation.objects.bulk_create(
            Consultation(
                review=review,
                slug=f"{scale.prefix}{n:03d}",
                title=f"Benchmark consultation {n}",
                title_en=f"Benchmark consultation {n}",
                title_fr=f"Consultation de référence {n}",
                title_ar=f"مشاورة القياس {n}",
                starts_at=starts + datetime.timedelta(hours=n),
                ends_at=starts + datetime.timedelta(hours=n + 2),
                capacity=300,
                status=Consultation.Status.OPEN,
                is_published=True,
            )
            for n in range(scale.consultations)
        )
        consultations = list(
            Consultation.objects.filter(slug__startswith=scale.prefix)
            .order_by("slug")
            .values_list("pk", flat=True)
        )
        through = Consultation.objectives.through
        through.objects.bulk_create(
            through(consultation_id=pk, objective_id=objectives[(n + k) % len(objectives)].pk)
            for n, pk in enumerate(consultations)
            for k in (0, 7)
        )

        # Each person in ten consultations (large: 250 people per consultation, 150 confirmed, 100 waitlisted).
        per_person = scale.registrations // scale.stakeholders
        step = scale.consultations // per_person
        africa = Consultation.objects.get(slug=CONSULTATION_SLUG)

        def rows():
            n = 0
            for k in range(per_person):
                for index, user in enumerate(users):
                    yield _registration(
                        consultations[(index + k * step) % scale.consultations],
                        user.pk,
                        n,
                        waitlisted=k >= 6,
                        now=now,
                    )
                    n += 1
            # Five in seven confirmed (large: 100 of the 140), the others on the waiting list.
            confirmed = scale.organizer_rows * 5 // 7
            for index in range(scale.organizer_rows):
                yield _registration(africa.pk, users[index].pk, n, waitlisted=index >= confirmed, now=now)
                n += 1

        Registration.objects.bulk_create(rows(), batch_size=BATCH)

        viewer = user_model.objects.get(username=VIEWER)
        Registration.objects.bulk_create(
            _registration(consultations[-1 - k], viewer.pk, k, waitlisted=k % 2 == 1, now=now)
            for k in range(scale.viewer_extra)
        )

        _quiet_command("generate_pledges", count=scale.pledges, seed=scale.pledges)

        arab_review = RegionalReview.objects.get(slug=REVIEW_SLUG)
        organizations = list(Organization.objects.order_by("pk")[:20])
        WrittenInput.objects.bulk_create(
            WrittenInput(
                organization=organizations[n % len(organizations)],
                review=arab_review,
                stakeholder_group=groups[n % len(groups)],
                original_language="en",
                translation_status={"en": "official"},
                title_en=f"{INPUT_MARK} Written input {n}",
                text_en="A synthetic written input for the benchmark. " * 8,
                status=SubmissionStatus.PUBLISHED,
                submitted_at=now - datetime.timedelta(days=3),
                decided_at=now - datetime.timedelta(days=2),
                published_at=now - datetime.timedelta(days=2, seconds=n),
            )
            for n in range(scale.inputs)
        )
        inputs = list(
            WrittenInput.objects.filter(title_en__startswith=INPUT_MARK).values_list("pk", flat=True)
        )
        input_objectives = WrittenInput.objectives.through
        input_objectives.objects.bulk_create(
            input_objectives(writteninput_id=pk, objective_id=objectives[n % len(objectives)].pk)
            for n, pk in enumerate(inputs)
        )
    from django.db import connection

    # Fresh statistics, so the planner sees the tables as they now are.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def prepare(size: str) -> None:
    # Always migrate (quick when nothing is new): other apps may have added migrations since the last run.
    _quiet_command("migrate", interactive=False)
    from reviews.models import RegionalReview

    if not RegionalReview.objects.filter(slug=REVIEW_SLUG).exists():
        _quiet_command("load_demo")
    ensure_people()
    if not is_filled(SCALES[size]):
        fill(SCALES[size])


# --- measurement -----------------------------------------------------------------------------------------------


def _rows(value) -> int:
    if isinstance(value, int):
        return value
    return len(value.object_list if hasattr(value, "object_list") else value)


def measure() -> dict[str, dict[str, float]]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        override_settings,
        setup_test_environment,
        teardown_test_environment,
    )

    from pledges.cache import bump_dashboard_version

    user_model = get_user_model()
    clients = {"anonymous": Client(), "viewer": Client(), "organizer": Client()}
    clients["viewer"].force_login(user_model.objects.get(username=VIEWER))
    clients["organizer"].force_login(user_model.objects.get(username=ORGANIZER))
    no_cache = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    results = {}
    for page in LIST_PAGES:
        client = clients[page.who]
        with contextlib.nullcontext() if page.cached else override_settings(CACHES=no_cache):
            if page.cached:
                # An entry of an earlier run (or of data since changed) must not be what is measured.
                bump_dashboard_version()
            for _ in range(WARMUP):
                client.get(page.path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.path)
            # Read now: the next request's request_started signal empties the log this slice points into.
            query_count = len(queries)
            if response.status_code != 200:
                raise RuntimeError(f"{page.path} answered {response.status_code} to {page.who}")
            timings = []
            for _ in range(REPEAT):
                began = time.perf_counter()
                client.get(page.path)
                timings.append((time.perf_counter() - began) * 1000)
        results[page.name] = {"queries": query_count, "ms": statistics.median(timings), "target": page.target}
    # The rows come from the template context, which the test client records only in a test environment
    # (instrumented rendering): after the timings, so that instrumentation does not count in them.
    setup_test_environment()
    try:
        with override_settings(CACHES=no_cache):
            for page in LIST_PAGES:
                if page.rows:
                    context = clients[page.who].get(page.path).context
                    results[page.name]["rows"] = _rows(context[page.rows])
    finally:
        teardown_test_environment()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(DATABASES), required=True)
    args = parser.parse_args()
    setup(args.size)
    began = time.monotonic()
    prepare(args.size)
    prepared = time.monotonic() - began
    print(json.dumps({"size": args.size, "prepare_s": round(prepared, 1), "pages": measure()}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
