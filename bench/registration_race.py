"""Registration race benchmark (`make bench-registration`, or `python -m bench.registration_race --runs 20`).

Starts gunicorn (4 sync workers, 127.0.0.1:8731) on a dedicated PostgreSQL database (`<name>_bench_registration`
beside DATABASE_URL's database, created and migrated when missing) with the caller's REDIS_URL as Celery
broker. It creates 500 people with verified e-mail addresses and completed profiles, logs each of them in by
writing a session row directly (no password hashing in the loop), and then, for each run, opens a new
consultation with 100 seats and fires the 500 registration POSTs over HTTP at once: one thread and one
connection per person, all released together by a barrier.

A run is overbooked when more than 100 registrations end confirmed. An error is any answer other than the
redirect a registration gets, or a connection failure. per_minute is how many registrations the server
recorded (confirmed or waitlisted) per minute of wall time while the POSTs ran.

Prints one final line:
registration-race runs=20 attempts=500 seats=100 confirmed_max=100 overbooked_runs=0 errors=0 per_minute=N
"""

import argparse
import datetime
import http.client
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PORT = 8731
WORKERS = 4
ATTEMPTS = 500
SEATS = 100
USERNAME_PREFIX = "bench-registration-"
SLUG_PREFIX = "bench-registration-run-"
TARGET_PER_MINUTE = 3000


def bench_environment() -> dict[str, str]:
    """The environment of this process and of gunicorn: the bench database, production-like settings."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gcm_portal")
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'gcm_portal'}_bench_registration"
    env = dict(os.environ)
    env.update(
        DATABASE_URL=urlunsplit(parts._replace(path=f"/{name}")),
        DJANGO_SETTINGS_MODULE="gcm_portal.settings",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        CELERY_TASK_ALWAYS_EAGER="false",
        LOG_LEVEL="WARNING",
    )
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    env.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    return env


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    ensure_database(env["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def create_people() -> list[str]:
    """500 verified people with completed profiles, each with a fresh session; returns the session keys."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from reviews.models import StakeholderGroup
    from stakeholders.models import StakeholderProfile

    user_model = get_user_model()
    password = make_password(secrets.token_urlsafe(16))
    usernames = [f"{USERNAME_PREFIX}{n:03d}" for n in range(ATTEMPTS)]
    existing = set(user_model.objects.filter(username__in=usernames).values_list("username", flat=True))
    user_model.objects.bulk_create(
        [
            user_model(username=u, email=f"{u}@example.org", password=password)
            for u in usernames
            if u not in existing
        ]
    )
    users = list(user_model.objects.filter(username__in=usernames).order_by("username"))
    with_address = set(EmailAddress.objects.filter(user__in=users).values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in users
            if u.pk not in with_address
        ]
    )
    groups = list(StakeholderGroup.objects.order_by("order"))
    countries = ["EG", "KE", "NG", "MA", "LB", "JO", "SN", "ZA", "TN", "GH"]
    genders = [g for g, _label in StakeholderProfile.Gender.choices]
    with_profile = set(StakeholderProfile.objects.filter(user__in=users).values_list("user_id", flat=True))
    now = timezone.now()
    StakeholderProfile.objects.bulk_create(
        [
            StakeholderProfile(
                user=u,
                full_name=f"Bench Person {n}",
                stakeholder_group=groups[n % len(groups)],
                country=countries[n % len(countries)],
                gender=genders[n % len(genders)],
                preferred_language=("ar", "en", "fr")[n % 3],
                terms_accepted_at=now,
            )
            for n, u in enumerate(users)
            if u.pk not in with_profile
        ]
    )
    store = SessionStore()
    expiry = now + datetime.timedelta(days=1)
    sessions = []
    for user in users:
        key = secrets.token_hex(16)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expiry))
    Session.objects.filter(expire_date__lt=now).delete()
    Session.objects.bulk_create(sessions)
    return [s.session_key for s in sessions]


def open_consultation(run: int) -> tuple[int, str]:
    """A fresh consultation with SEATS seats, open for registration, a month from now."""
    from django.utils import timezone

    from consultations.models import Consultation
    from reviews.models import Region, RegionalReview

    review, _created = RegionalReview.objects.get_or_create(
        slug="bench-registration-review",
        defaults={
            "region": Region.objects.get(key="africa"),
            "round": 99,
            "title": "Bench review",
            "is_published": True,
        },
    )
    starts = timezone.now() + datetime.timedelta(days=30)
    slug = f"{SLUG_PREFIX}{int(time.time())}-{run}"
    consultation = Consultation.objects.create(
        review=review,
        slug=slug,
        title=f"Bench consultation {run}",
        title_en=f"Bench consultation {run}",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=SEATS,
        status=Consultation.Status.OPEN,
        is_published=True,
        meeting_link="https://meet.example.org/bench",
    )
    return consultation.pk, slug


def start_gunicorn(env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "gcm_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--backlog",
            "2048",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    stop_gunicorn(process)
    raise SystemExit("gunicorn did not come up on port 8731")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def fire(slug: str, sessions: list[str]) -> tuple[list, float]:
    """All POSTs at once; returns their outcomes (status or error) and the wall time they took."""
    path = f"/en/consultations/{slug}/register/"
    start = threading.Barrier(len(sessions) + 1)
    outcomes: list = []

    def post(session_key: str) -> None:
        csrf = secrets.token_hex(16)
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        try:
            start.wait()
            connection.request(
                "POST",
                path,
                body="interpretation_language=",
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
                    "X-CSRFToken": csrf,
                },
            )
            response = connection.getresponse()
            response.read()
            outcomes.append(response.status)
        except Exception as exc:  # every failure is counted as an error
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(key,), daemon=True) for key in sessions]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    return outcomes, time.monotonic() - began


def count(consultation_id: int) -> dict[str, int]:
    from django.db.models import Count

    from consultations.models import Registration

    rows = (
        Registration.objects.filter(consultation_id=consultation_id)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def queued_tasks(env: dict[str, str]) -> int:
    import redis

    return redis.Redis.from_url(env["REDIS_URL"]).llen("celery")


def drop_bench_tasks(env: dict[str, str], queued_before: int) -> None:
    """The runs queue one e-mail task per registration, for people who do not exist outside the bench. When
    the queue was empty before, everything in it is the bench's: drop it rather than leave it to a worker."""
    import redis

    client = redis.Redis.from_url(env["REDIS_URL"])
    if queued_before == 0:
        client.delete("celery")
    else:
        print(
            f"note: the Celery queue held {queued_before} tasks before the bench; left as it is",
            file=sys.stderr,
        )


FINAL_LINE_PREFIX = "registration-race "


def run(runs: int = 20, timeout: float = 900) -> list[str]:
    """The benchmark in a fresh process (its Django setup is for its own database, not the caller's);
    returns its final line. Raises RuntimeError when the process fails or prints no final line."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.registration_race", "--runs", str(runs)],
        cwd=ROOT,
        env={key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith(FINAL_LINE_PREFIX)]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"bench.registration_race failed: {(result.stdout + result.stderr)[-2000:]}")
    return lines[-1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    env = bench_environment()
    setup_django(env)
    sessions = create_people()
    queued_before = queued_tasks(env)
    server = start_gunicorn(env)
    confirmed_max = overbooked = errors = recorded = 0
    elapsed = 0.0
    try:
        for run in range(1, args.runs + 1):
            consultation_id, slug = open_consultation(run)
            outcomes, seconds = fire(slug, sessions)
            statuses = count(consultation_id)
            confirmed = statuses.get("confirmed", 0)
            run_errors = sum(1 for outcome in outcomes if outcome != 302)
            confirmed_max = max(confirmed_max, confirmed)
            overbooked += confirmed > SEATS
            errors += run_errors
            recorded += sum(statuses.values())
            elapsed += seconds
            print(
                f"run {run}: {seconds:.2f}s confirmed={confirmed} waitlisted={statuses.get('waitlisted', 0)} "
                f"errors={run_errors}",
                flush=True,
            )
    finally:
        stop_gunicorn(server)
        drop_bench_tasks(env, queued_before)
    per_minute = round(recorded / elapsed * 60) if elapsed else 0
    if per_minute < TARGET_PER_MINUTE:
        print(f"note: below the target of {TARGET_PER_MINUTE} registrations per minute", file=sys.stderr)
    print(
        f"{FINAL_LINE_PREFIX}runs={args.runs} attempts={ATTEMPTS} seats={SEATS} confirmed_max={confirmed_max} "
        f"overbooked_runs={overbooked} errors={errors} per_minute={per_minute}"
    )


if __name__ == "__main__":
    main()
