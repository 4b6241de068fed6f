"""List pages at small and large data: queries per page and how much slower a page gets as the tables grow.

Two PostgreSQL databases, each created, migrated and filled with the demo content when missing:

- `gcm_bench` (small): the demo content plus a viewer with two registrations and two more people registered
  for the Africa consultation, so every list page shows a few rows;
- `gcm_bench_large` (large): the same, plus 10,000 stakeholders with profiles, 100,000 registrations over 400
  synthetic consultations (plus 140 on the Africa consultation the organizer page shows), 5,000 synthetic
  pledges (`generate_pledges`) and 500 published written inputs on the Arab review. Filled with bulk_create
  in batches, once: a later run sees the counts and reuses it.

Every page is requested through the Django test client with the page cache off (DummyCache), so the view
really builds it: once under CaptureQueriesContext for the query count, then WARMUP + REPEAT times for the
median latency. Run by bench/run_all.py in a fresh process per database (Django is set up for one database
per process); prints one JSON line:

    python -m bench.pages --size small|large
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DATABASES = {"small": "gcm_bench", "large": "gcm_bench_large"}
STAKEHOLDERS = 10_000
REGISTRATIONS = 100_000
PLEDGES = 5_000
WRITTEN_INPUTS = 500
BENCH_CONSULTATIONS = 400
ORGANIZER_ROWS = 140  # extra registrations on the organizer page's consultation (capacity 150)
VIEWER_EXTRA = 10  # extra registrations of the viewer in the large database
WARMUP, REPEAT = 3, 15
BATCH = 5_000

USER_PREFIX = "bench-large-"
CONSULTATION_PREFIX = "bench-large-"
INPUT_MARK = "[Synthetic input]"
VIEWER = "bench-viewer"
ORGANIZER = "bench-organizer"
BENCH_REVIEW = "bench-large-review"
REVIEW_SLUG = "arab-region-round-2"
CONSULTATION_SLUG = "africa-ta4-policymaking-data-cooperation"
OTHER_CONSULTATION_SLUG = "arab-labour-mobility-decent-work"

# (name, path, who, rows): the list pages of issue 7, the person who may see them, and the context entry
# holding the rows they show ("page": a paginator page), so the figures say how much each page lists.
LIST_PAGES = [
    ("home", "/en/", "anonymous", "thematic_areas"),
    ("reviews-list", "/en/reviews/", "anonymous", "reviews"),
    ("review", f"/en/reviews/{REVIEW_SLUG}/", "anonymous", "event_count"),
    ("consultations-list", "/en/consultations/", "anonymous", "page"),
    ("pledges-list", "/en/pledges/list/", "anonymous", "page"),
    ("pledges-dashboard", "/en/pledges/", "anonymous", None),
    ("review-inputs", f"/en/reviews/{REVIEW_SLUG}/inputs/", "anonymous", "page"),
    ("my-registrations", "/en/consultations/my-registrations/", "viewer", "registrations"),
    (
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


def large_is_ready() -> bool:
    from django.contrib.auth import get_user_model

    from consultations.models import Registration
    from pledges.models import Pledge, WrittenInput

    return (
        get_user_model().objects.filter(username__startswith=USER_PREFIX).count() == STAKEHOLDERS
        and Registration.objects.filter(user__username__startswith=USER_PREFIX).count()
        == REGISTRATIONS + ORGANIZER_ROWS
        and Pledge.objects.filter(is_synthetic=True).count() >= PLEDGES
        and WrittenInput.objects.filter(title_en__startswith=INPUT_MARK).count() == WRITTEN_INPUTS
    )


def fill_large() -> None:
    """10,000 stakeholders, 100,000 registrations, 5,000 pledges and 500 written inputs, in one transaction
    (an interrupted run leaves nothing half-made behind for the next one to trip on)."""
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
        Registration.objects.filter(user__username__startswith=USER_PREFIX).delete()
        Registration.objects.filter(consultation__slug__startswith=CONSULTATION_PREFIX).delete()
        Consultation.objects.filter(slug__startswith=CONSULTATION_PREFIX).delete()
        RegionalReview.objects.filter(slug=BENCH_REVIEW).delete()
        user_model.objects.filter(username__startswith=USER_PREFIX).delete()
        WrittenInput.objects.filter(title_en__startswith=INPUT_MARK).delete()

        user_model.objects.bulk_create(
            (
                user_model(
                    username=f"{USER_PREFIX}{n:05d}", email=f"{USER_PREFIX}{n:05d}@example.org", password="!"
                )
                for n in range(STAKEHOLDERS)
            ),
            batch_size=BATCH,
        )
        users = list(user_model.objects.filter(username__startswith=USER_PREFIX).order_by("username"))
        StakeholderProfile.objects.bulk_create(
            (_profile(user, n, groups, now) for n, user in enumerate(users)), batch_size=BATCH
        )

        review = RegionalReview.objects.create(
            region=Region.objects.get(key="africa"),
            round=98,
            slug=BENCH_REVIEW,
            title_en="Benchmark review",
            title_fr="Examen de référence",
            title_ar="استعراض القياس",
            is_published=True,
        )
        starts = now + datetime.timedelta(days=40)
        Consultation.objects.bulk_create(
            Consultation(
                review=review,
                slug=f"{CONSULTATION_PREFIX}{n:03d}",
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
            for n in range(BENCH_CONSULTATIONS)
        )
        consultations = list(
            Consultation.objects.filter(slug__startswith=CONSULTATION_PREFIX)
            .order_by("slug")
            .values_list("pk", flat=True)
        )
        through = Consultation.objectives.through
        through.objects.bulk_create(
            through(consultation_id=pk, objective_id=objectives[(n + k) % len(objectives)].pk)
            for n, pk in enumerate(consultations)
            for k in (0, 7)
        )

        # Each person in ten consultations, 250 people per consultation: 150 confirmed, 100 waitlisted.
        per_person = REGISTRATIONS // STAKEHOLDERS
        step = BENCH_CONSULTATIONS // per_person
        africa = Consultation.objects.get(slug=CONSULTATION_SLUG)

        def rows():
            n = 0
            for k in range(per_person):
                for index, user in enumerate(users):
                    yield _registration(
                        consultations[(index + k * step) % BENCH_CONSULTATIONS],
                        user.pk,
                        n,
                        waitlisted=k >= 6,
                        now=now,
                    )
                    n += 1
            for index in range(ORGANIZER_ROWS):
                yield _registration(africa.pk, users[index].pk, n, waitlisted=index >= 100, now=now)
                n += 1

        Registration.objects.bulk_create(rows(), batch_size=BATCH)

        viewer = user_model.objects.get(username=VIEWER)
        Registration.objects.bulk_create(
            _registration(consultations[-1 - k], viewer.pk, k, waitlisted=k % 2 == 1, now=now)
            for k in range(VIEWER_EXTRA)
        )

        missing = PLEDGES - Pledge.objects.filter(is_synthetic=True).count()
        if missing > 0:
            _quiet_command("generate_pledges", count=missing, seed=PLEDGES)

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
            for n in range(WRITTEN_INPUTS)
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
    if size == "large" and not large_is_ready():
        fill_large()


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

    user_model = get_user_model()
    clients = {"anonymous": Client(), "viewer": Client(), "organizer": Client()}
    clients["viewer"].force_login(user_model.objects.get(username=VIEWER))
    clients["organizer"].force_login(user_model.objects.get(username=ORGANIZER))
    results = {}
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}):
        for name, path, who, _rows_key in LIST_PAGES:
            client = clients[who]
            for _ in range(WARMUP):
                client.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            # Read now: the next request's request_started signal empties the log this slice points into.
            query_count = len(queries)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code} to {who}")
            timings = []
            for _ in range(REPEAT):
                began = time.perf_counter()
                client.get(path)
                timings.append((time.perf_counter() - began) * 1000)
            results[name] = {"queries": query_count, "ms": statistics.median(timings)}
        # The rows come from the template context, which the test client records only in a test environment
        # (instrumented rendering): after the timings, so that instrumentation does not count in them.
        setup_test_environment()
        try:
            for name, path, who, rows_key in LIST_PAGES:
                if rows_key:
                    results[name]["rows"] = _rows(clients[who].get(path).context[rows_key])
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
