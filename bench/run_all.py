"""`make bench` (python -m bench.run_all): how fast the public pages are, and whether list pages stay flat.

1. Throughput and latency. The portal runs under gunicorn on PostgreSQL (database `gcm_bench`, created and
   migrated, demo content loaded) and Redis (DB 7); a bare Django hello-world (bench/hello) runs under the
   same gunicorn options as the baseline. Locust (headless, 32 users without think time = 32 connections)
   loads each for a short phase and prints, per page and language:
       page=<name> lang=<l> rps=<requests/s> ratio=<rps / baseline rps> p99_ms=<99th percentile latency>
   Targets: ratio >= 0.40 (a page costs at most 2.5 hello-worlds) and p99 <= 60 ms.
2. Queries per list page at small and large data, counted with the Django test client (page cache off):
       queries page=<name> small=<n> large=<n>
   Target: equal (no N+1) and <= 10.
3. Other benchmark modules, when present: bench.registration_race, bench.pledges, bench.reports, each
   `run() -> list[str]`.
4. One line `bench-summary ...` naming the targets met and missed.

Everything listens on and talks to 127.0.0.1 only; every wait is bounded. BENCH_SECONDS sets the length of
each load phase (default 10).
"""

import contextlib
import csv
import importlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"
CONNECTIONS = 32
LOAD_SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
LANGUAGES = ("ar", "en", "fr")
TARGET_RATIO = 0.40
TARGET_P99_MS = 60.0
TARGET_MAX_QUERIES = 10
# The same options for the baseline and the portal, so the ratio compares the applications, not servers.
GUNICORN_OPTIONS = ["--workers", "3", "--worker-class", "sync", "--backlog", "512", "--log-level", "warning"]
OTHER_BENCHMARKS = ("bench.registration_race", "bench.pledges", "bench.reports")


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # with {lang}


# Public pages measured under load in every language. The lead adds the review and consultation pages here.
PAGES: list[Page] = [
    Page("home", "/{lang}/"),
    Page("objective", "/{lang}/objectives/17/"),
]


@dataclass(frozen=True)
class ListPage:
    name: str
    path: str
    # populate(rows) adds `rows` extra rows the page lists; it runs inside a transaction that is rolled back.
    populate: Callable[[int], None]


def add_thematic_areas(rows: int) -> None:
    from reviews.models import Objective, ThematicArea

    objectives = list(Objective.objects.all())
    for offset in range(rows):
        area = ThematicArea.objects.create(
            number=100 + offset,
            title_en=f"Benchmark area {offset}",
            title_fr=f"Domaine de référence {offset}",
            title_ar=f"مجال القياس {offset}",
        )
        area.objectives.set(objectives)


LIST_PAGES: list[ListPage] = [
    ListPage("home", "/en/", add_thematic_areas),
]
SMALL_ROWS = 1
LARGE_ROWS = 40


@dataclass
class LoadResult:
    rps: float
    p99_ms: float
    requests: int
    failures: int


# --- environment ------------------------------------------------------------------------------------------


def _with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path))


def bench_environment() -> dict[str, str]:
    """The portal's configuration for the benchmark: its own database and Redis DB, production-like (DEBUG
    off, the manifest-free static storage aside), plain HTTP on loopback."""
    database = _with_path(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gcm_portal"), "/gcm_bench"
    )
    redis = _with_path(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), "/7")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "gcm_portal.settings"),
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY")
        or "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        # testserver: the Django test client that benchmark modules use to count queries.
        "ALLOWED_HOSTS": f"{LOOPBACK},localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "CACHE_KEY_PREFIX": "gcm-bench",
        "LOG_LEVEL": "WARNING",
    }


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_with_path(url, "/postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare_database(env: dict[str, str]) -> None:
    ensure_database(env["DATABASE_URL"])
    for command in (["migrate", "--no-input", "-v", "0"], ["load_demo", "-v", "0"]):
        # Quiet on success: the output is the figures, one per line.
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(command)} failed:\n{result.stdout}{result.stderr}")


# --- servers and load -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def fetch_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback URL built here)
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@contextlib.contextmanager
def gunicorn(app: str, env: dict[str, str], ready_path: str) -> Iterator[str]:
    port = free_port()
    base = f"http://{LOOPBACK}:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "--bind", f"{LOOPBACK}:{port}", *GUNICORN_OPTIONS],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn {app} exited with {server.returncode}")
            with contextlib.suppress(OSError):
                if fetch_status(base + ready_path) == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn {app} did not answer {ready_path} within 60 s")
            time.sleep(0.25)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def load_generator() -> str:
    """wrk when installed (a C event loop: it leaves the CPU to the servers), locust otherwise."""
    return "wrk" if shutil.which("wrk") else "locust"


def load(base: str, path: str) -> LoadResult:
    """CONNECTIONS concurrent connections requesting base+path back to back for LOAD_SECONDS, after a warm-up."""
    for _ in range(5):
        fetch_status(base + path)
    if load_generator() == "wrk":
        return _load_with_wrk(base + path)
    return _load_with_locust(base, path)


_WRK_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _load_with_wrk(url: str) -> LoadResult:
    result = subprocess.run(
        [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(CONNECTIONS),
            "--duration",
            f"{LOAD_SECONDS}s",
            "--timeout",
            "5s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=LOAD_SECONDS + 60,
        check=True,
    )
    out = result.stdout
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    requests = re.search(r"^\s*(\d+) requests in", out, re.MULTILINE)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.MULTILINE)
    if not (p99 and requests and rps):
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    failures = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    failures += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return LoadResult(
        rps=float(rps.group(1)),
        p99_ms=float(p99.group(1)) * _WRK_UNITS_MS[p99.group(2)],
        requests=int(requests.group(1)),
        failures=failures,
    )


def _load_with_locust(base: str, path: str) -> LoadResult:
    with tempfile.TemporaryDirectory(prefix="gcm-bench-") as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--users",
                str(CONNECTIONS),
                "--spawn-rate",
                str(CONNECTIONS),
                "--run-time",
                f"{LOAD_SECONDS}s",
                "--stop-timeout",
                "5",
                "--host",
                base,
                "--csv",
                f"{tmp}/load",
            ],
            cwd=ROOT,
            env={**os.environ, "BENCH_PATH": path},
            capture_output=True,
            timeout=LOAD_SECONDS + 120,
            check=False,  # locust exits 1 when a request failed; the failure count below says so
        )
        with open(f"{tmp}/load_stats.csv", newline="") as stats:
            total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return LoadResult(
        rps=float(total["Requests/s"]),
        p99_ms=float(total["99%"]),
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
    )


# --- query counts ------------------------------------------------------------------------------------------


def count_queries(path: str) -> int:
    """Queries one anonymous GET of `path` runs, with the page cache off so the page is really built."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    dummy_cache = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with override_settings(CACHES=dummy_cache), CaptureQueriesContext(connection) as queries:
        response = Client().get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return len(queries)


def queries_at(page: ListPage, rows: int) -> int:
    from django.db import transaction

    with transaction.atomic():
        page.populate(rows)
        count = count_queries(page.path)
        transaction.set_rollback(True)
    return count


# --- the run -----------------------------------------------------------------------------------------------


def run_load_phase(env: dict[str, str], met: dict[str, bool]) -> None:
    print(f"load-generator={load_generator()} connections={CONNECTIONS} seconds={LOAD_SECONDS}", flush=True)
    hello_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.hello.settings"}
    with gunicorn("bench.hello.wsgi:application", hello_env, "/") as base:
        baseline = load(base, "/")
    print(f"page=baseline lang=- rps={baseline.rps:.0f} ratio=1.00 p99_ms={baseline.p99_ms:.0f}", flush=True)
    ratios_ok = p99_ok = no_failures = baseline.failures == 0 and baseline.requests > 0
    with gunicorn("gcm_portal.wsgi:application", env, "/healthz") as base:
        for page in PAGES:
            for lang in LANGUAGES:
                result = load(base, page.path.format(lang=lang))
                ratio = result.rps / baseline.rps if baseline.rps else 0.0
                print(
                    f"page={page.name} lang={lang} rps={result.rps:.0f} ratio={ratio:.2f} "
                    f"p99_ms={result.p99_ms:.0f}"
                    + (f" failures={result.failures}" if result.failures else ""),
                    flush=True,
                )
                ratios_ok = ratios_ok and ratio >= TARGET_RATIO
                p99_ok = p99_ok and result.p99_ms <= TARGET_P99_MS
                no_failures = no_failures and result.failures == 0 and result.requests > 0
    met[f"ratio>={TARGET_RATIO:.2f}"] = ratios_ok
    met[f"p99<={TARGET_P99_MS:.0f}ms"] = p99_ok
    met["no-failed-requests"] = no_failures


def run_query_phase(met: dict[str, bool]) -> None:
    flat = True
    for page in LIST_PAGES:
        small, large = queries_at(page, SMALL_ROWS), queries_at(page, LARGE_ROWS)
        print(
            f"queries page={page.name} small={small} large={large} rows={SMALL_ROWS}/{LARGE_ROWS}", flush=True
        )
        flat = flat and small == large <= TARGET_MAX_QUERIES
    met[f"queries-flat<={TARGET_MAX_QUERIES}"] = flat


def run_other_benchmarks(met: dict[str, bool]) -> None:
    for name in OTHER_BENCHMARKS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            print(f"note: {name} is not present, skipped", flush=True)
            continue
        # One broken benchmark must not hide the other figures.
        try:
            for line in module.run():
                print(line, flush=True)
        except Exception as exc:
            print(f"bench={name} error={type(exc).__name__}: {exc}", flush=True)
            met[name] = False
        else:
            met[name] = True


def main() -> int:
    env = bench_environment()
    prepare_database(env)
    # This process counts queries itself, on the same database and cache as the servers.
    os.environ.update(env)
    import django

    django.setup()

    met: dict[str, bool] = {}
    started = time.monotonic()
    run_load_phase(env, met)
    run_query_phase(met)
    run_other_benchmarks(met)
    reached = [name for name, ok in met.items() if ok]
    missed = [name for name, ok in met.items() if not ok]
    print(
        f"bench-summary met={','.join(reached) or 'none'} missed={','.join(missed) or 'none'} "
        f"seconds={time.monotonic() - started:.0f}",
        flush=True,
    )
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
