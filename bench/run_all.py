"""`make bench` (python -m bench.run_all): every figure of issue 7 §3, one per line, the summary last.

1. Throughput and latency. The portal runs under gunicorn on PostgreSQL (database `gcm_bench`, created and
   migrated, demo content loaded) and Redis (DB 7, or BENCH_REDIS_DB); a bare Django hello-world (bench/hello)
   runs under the same gunicorn options as the baseline. wrk (locust when wrk is missing) holds 32
   connections on each public page for BENCH_SECONDS (default 10), anonymous, in every language:
       page=<name> lang=<l> rps=<requests/s> ratio=<rps / baseline rps> p99_ms=<99th percentile latency>
   Targets: ratio >= 0.40 (a page costs at most 2.5 hello-worlds) and p99 <= 60 ms.
2. List pages at small data (`gcm_bench_small`: the demo plus one full page of every list) and large data
   (`gcm_bench_large`: 10,000 stakeholders, 100,000 registrations, 5,000 pledges; each built once, reused
   while its counts match), through the Django test client with the page cache off (bench/pages.py, one
   process per database); the pledges dashboard with its data cache on, and again off for information:
       queries page=<name> small=<n> large=<n>          target: equal (no N+1) and <= 10
       latency page=<name> small_ms=<ms> large_ms=<ms> ratio=<large/small> rows=<shown small/large>
                                                                                 target: ratio <= 1.5
3. The other benchmark modules, each in its own process: bench.registration_race (BENCH_RACE_RUNS runs,
   default 5), bench.pledges and bench.reports.
4. One line `bench-summary met=… missed=…`; the exit status is 1 when a target was missed.

Everything listens on and talks to 127.0.0.1 only; every wait and every subprocess is bounded.
"""

import contextlib
import csv
import json
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
TARGET_LATENCY_RATIO = 1.5
RACE_RUNS = int(os.environ.get("BENCH_RACE_RUNS", "5"))
TARGET_RACE_PER_MINUTE = 3000
TARGET_PLEDGES_RATIO = 1.5
TARGET_RENDER_RATIO = 1.25
TARGET_THREE_LANGUAGES = 1.2


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # with {lang}


# Public pages measured under load in every language (demo content: the Arab review, the Africa consultation).
PAGES: list[Page] = [
    Page("home", "/{lang}/"),
    Page("objective", "/{lang}/objectives/17/"),
    Page("review", "/{lang}/reviews/arab-region-round-2/"),
    Page("consultations", "/{lang}/consultations/"),
    Page("consultation", "/{lang}/consultations/africa-ta4-policymaking-data-cooperation/"),
]


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
    redis_db = os.environ.get("BENCH_REDIS_DB", "7")
    redis = _with_path(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), f"/{redis_db}")
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
        # whitenoise warns on every start that STATIC_ROOT was never collected; the bench serves no assets.
        "PYTHONWARNINGS": "ignore:No directory at",
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


# --- the run -----------------------------------------------------------------------------------------------


def run_load_phase(env: dict[str, str], met: dict[str, bool]) -> None:
    print(
        f"load-generator={load_generator()} connections={CONNECTIONS} seconds={LOAD_SECONDS} "
        f"cores={os.cpu_count()} loadavg_1min={os.getloadavg()[0]:.1f}",
        flush=True,
    )
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
    # Measured again, for information: other work on the machine moves every figure, and a baseline that
    # differs much from the first says by how much the ratios above may be off.
    with gunicorn("bench.hello.wsgi:application", hello_env, "/") as base:
        again = load(base, "/")
    print(
        f"page=baseline-again lang=- rps={again.rps:.0f} ratio={again.rps / baseline.rps if baseline.rps else 0:.2f} "
        f"p99_ms={again.p99_ms:.0f} loadavg_1min={os.getloadavg()[0]:.1f}",
        flush=True,
    )
    met[f"ratio>={TARGET_RATIO:.2f}"] = ratios_ok
    met[f"p99<={TARGET_P99_MS:.0f}ms"] = p99_ok
    met["no-failed-requests"] = no_failures


def _bench_process(module: str, *args: str, env: dict[str, str], timeout: float) -> str:
    """stdout of `python -m <module> <args>` in a fresh process (each benchmark sets Django up for its own
    database). Raises RuntimeError when it fails."""
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{module} exited with {result.returncode}:\n{(result.stdout + result.stderr)[-3000:]}"
        )
    return result.stdout


def _pages_at(size: str, env: dict[str, str]) -> dict[str, dict[str, float]]:
    out = _bench_process("bench.pages", "--size", size, env=env, timeout=1800)
    return json.loads(out.strip().splitlines()[-1])["pages"]


def run_list_phase(env: dict[str, str], met: dict[str, bool]) -> None:
    small, large = _pages_at("small", env), _pages_at("large", env)
    flat = latency_ok = True
    for name in small:
        queries_small, queries_large = small[name]["queries"], large[name]["queries"]
        print(f"queries page={name} small={queries_small} large={queries_large}", flush=True)
        flat = flat and queries_small == queries_large <= TARGET_MAX_QUERIES
    for name in small:
        ratio = large[name]["ms"] / small[name]["ms"]
        rows = f" rows={small[name]['rows']}/{large[name]['rows']}" if "rows" in small[name] else ""
        counts = small[name].get("target", True)
        print(
            f"latency page={name} small_ms={small[name]['ms']:.1f} large_ms={large[name]['ms']:.1f} "
            f"ratio={ratio:.2f}{rows}" + ("" if counts else " (for information)"),
            flush=True,
        )
        latency_ok = latency_ok and (ratio <= TARGET_LATENCY_RATIO or not counts)
    met[f"queries-flat<={TARGET_MAX_QUERIES}"] = flat
    met[f"large/small-latency<={TARGET_LATENCY_RATIO}"] = latency_ok


def _figures(line: str) -> dict[str, str]:
    return dict(re.findall(r"(\w+)=([^\s,()]+)", line))


def run_registration_race(env: dict[str, str], met: dict[str, bool]) -> None:
    from bench import registration_race

    os.environ.update(env)
    (line,) = registration_race.run(runs=RACE_RUNS)
    print(line, flush=True)
    figures = _figures(line)
    met["registration-race-no-overbooking"] = figures["overbooked_runs"] == "0" and figures["errors"] == "0"
    met[f"registration-race>={TARGET_RACE_PER_MINUTE}/min"] = (
        int(figures["per_minute"]) >= TARGET_RACE_PER_MINUTE
    )


def run_pledges(env: dict[str, str], met: dict[str, bool]) -> None:
    from bench import pledges

    os.environ.update(env)
    lines = pledges.run()
    for line in lines:
        print(line, flush=True)
    figures = _figures(lines[-1])
    met[f"pledges-pages<={TARGET_PLEDGES_RATIO}"] = all(
        float(figures[name]) <= TARGET_PLEDGES_RATIO for name in ("dashboard_ratio", "list_ratio")
    )


def run_reports(env: dict[str, str], met: dict[str, bool]) -> None:
    out = _bench_process("bench.reports", env=env, timeout=1500)
    lines = [line for line in out.splitlines() if line.startswith("reports")]
    for line in lines:
        print(line, flush=True)
    figures = _figures(lines[-1])
    met[f"reports-render<={TARGET_RENDER_RATIO}"] = float(figures["render_ratio"]) <= TARGET_RENDER_RATIO
    met[f"reports-three-languages<={TARGET_THREE_LANGUAGES}"] = (
        float(figures["three_langs_vs_one"]) <= TARGET_THREE_LANGUAGES
    )


def run_guarded(name: str, phase: Callable[[], None], met: dict[str, bool]) -> None:
    """One broken benchmark must not hide the other figures: its failure is a line and a missed target."""
    try:
        phase()
    except Exception as exc:
        print(f"bench={name} error={type(exc).__name__}: {exc}", flush=True)
        met[name] = False


def main() -> int:
    env = bench_environment()
    # The other modules derive their databases (gcm_bench_*) from this one and take the bench's Redis DB.
    others_env = {key: value for key, value in env.items() if key != "DJANGO_SETTINGS_MODULE"}
    others_env.pop("CACHE_KEY_PREFIX")
    started = time.monotonic()
    prepare_database(env)
    met: dict[str, bool] = {}
    run_guarded("load", lambda: run_load_phase(env, met), met)
    run_guarded("list-pages", lambda: run_list_phase(others_env, met), met)
    run_guarded("registration-race", lambda: run_registration_race(others_env, met), met)
    run_guarded("pledges", lambda: run_pledges(others_env, met), met)
    run_guarded("reports", lambda: run_reports(others_env, met), met)
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
