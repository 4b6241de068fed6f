"""Benchmark: the pledges dashboard and list pages at 224 pledges (the GCM Pledging Initiative's count in
April 2023) and at 5,000, in a dedicated database (gcm_bench_pledges), through the Django test client.

The measurement runs in a fresh Python process so it always uses its own database and settings, even when
`bench.run_all` calls `run()` from a process already set up for another database.

Each page is requested a few times to warm up (process, connection, cache), then timed over repeated
requests; the median is reported. The dashboard is measured as visitors get it (its data cached per
language) and, for information, with its cache invalidated before every request.

    python -m bench.pledges
"""

import os
import statistics
import subprocess
import sys
import time

DB_NAME = "gcm_bench_pledges"
SMALL, LARGE = 224, 5000
WARMUP, REPEAT = 5, 31
TARGET = 1.5


def _configure() -> None:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gcm_portal")
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + DB_NAME
    os.environ["CACHE_KEY_PREFIX"] = "gcm-bench-pledges"
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production-0123456789-abcdefghijklmnop")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gcm_portal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def _create_database() -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        autocommit=True,
    ) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DB_NAME}"')


def _median_ms(client, url: str, before=None) -> float:
    for _ in range(WARMUP):
        if before:
            before()
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(REPEAT):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return statistics.median(timings)


def _measure(client) -> dict[str, float]:
    from pledges.cache import bump_dashboard_version

    return {
        "dashboard": _median_ms(client, "/en/pledges/"),
        "dashboard_uncached": _median_ms(client, "/en/pledges/", before=bump_dashboard_version),
        "list": _median_ms(client, "/en/pledges/list/"),
        "list_filtered": _median_ms(client, "/en/pledges/list/?objective=6&progress=on_track"),
    }


def measure() -> list[str]:
    _configure()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from pledges.models import Pledge

    _create_database()
    call_command("migrate", verbosity=0, interactive=False)
    Pledge.objects.all().delete()
    client = Client()
    lines = []
    results = {}
    for total in (SMALL, LARGE):
        with open(os.devnull, "w") as quiet:
            call_command("generate_pledges", count=total - Pledge.objects.count(), seed=total, stdout=quiet)
        results[total] = _measure(client)
        lines.append(
            f"pledges-pages n={total} "
            + " ".join(f"{name}_ms={value:.1f}" for name, value in results[total].items())
        )
    ratios = {name: results[LARGE][name] / results[SMALL][name] for name in results[SMALL]}
    lines.append(
        f"pledges-pages (uncached dashboard, for information) dashboard_uncached_ratio={ratios['dashboard_uncached']:.2f} "
        f"list_filtered_ratio={ratios['list_filtered']:.2f}"
    )
    lines.append(
        f"pledges-pages dashboard_ratio={ratios['dashboard']:.2f} list_ratio={ratios['list']:.2f} "
        f"({LARGE} vs {SMALL} pledges; target <= {TARGET})"
    )
    return lines


def run() -> list[str]:
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "bench.pledges", "--measure"],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("pledges-pages")]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"bench.pledges failed: {result.stderr[-2000:]}")
    return lines


if __name__ == "__main__":
    for line in measure() if "--measure" in sys.argv else run():
        print(line, flush=True)
