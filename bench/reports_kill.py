"""Kill test for the report renders: a Celery worker is SIGKILLed in the middle of a render and a fresh worker
must finish the document exactly once (one done RenderedDocument, one file).

`python -m bench.reports_kill` runs it on the bench database; bench.reports and tests/reports/test_worker.py
call `run_kill_test`. With Redis, a message whose worker died unacknowledged comes back after the visibility
timeout, so workers started here use CELERY_VISIBILITY_TIMEOUT=10 (seconds) and look for such messages every
2 seconds (CELERY_UNACKED_RESTORE_INTERVAL, CELERY_UNACKED_RESTORE_THROTTLE; see settings.py)."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CELERY = ROOT / ".venv" / "bin" / "celery"
KILL_VISIBILITY_TIMEOUT = 10


class Worker:
    """One `celery worker` subprocess in its own process group, so a kill takes its pool children too."""

    def __init__(self, *, env: dict[str, str], name: str, concurrency: int = 1):
        self.name = name
        self.ready = threading.Event()
        self.output: list[str] = []
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "gcm_portal",
                "worker",
                "-c",
                str(concurrency),
                "--pool",
                "prefork",
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)
            if " ready." in line:
                self.ready.set()

    def wait_ready(self, timeout: float = 60) -> None:
        if not self.ready.wait(timeout):
            self.stop()
            raise RuntimeError(f"worker {self.name} did not start:\n{''.join(self.output[-30:])}")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def worker_environment(**overrides: str) -> dict[str, str]:
    """This process's configuration for a worker (same database, Redis DB and media root), plus overrides."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LOG_LEVEL": "INFO",
        **overrides,
    }


def wait_for(condition: Callable[[], bool], *, timeout: float, interval: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


def run_kill_test(*, document, language: str = "en", timeout: float = 120) -> dict:
    """Queue one render of `document`, SIGKILL the worker while it renders, start another, and report what
    happened. Rows must be committed (the workers are other processes). Returns the figures; raises
    AssertionError when the document did not finish exactly once."""
    from django.conf import settings
    from django.db import close_old_connections

    from reports import services
    from reports.models import RenderedDocument

    source = services._source_filter(document)
    RenderedDocument.objects.filter(**source).delete()
    env = worker_environment(
        CELERY_VISIBILITY_TIMEOUT=str(KILL_VISIBILITY_TIMEOUT),
        CELERY_UNACKED_RESTORE_INTERVAL="2",
        CELERY_UNACKED_RESTORE_THROTTLE="1",
    )

    def status() -> str | None:
        close_old_connections()
        row = (
            RenderedDocument.objects.filter(**source, language=language)
            .values_list("status", flat=True)
            .first()
        )
        return row

    first = Worker(env=env, name="kill-first")
    started = time.monotonic()
    try:
        first.wait_ready()
        (rendered,) = services.generate_document(document=document, actor=None, languages=[language])
        if not wait_for(lambda: status() == RenderedDocument.Status.RENDERING, timeout=timeout):
            raise AssertionError(f"the render never started:\n{''.join(first.output[-30:])}")
        first.kill()
    finally:
        first.stop()
    killed_at = time.monotonic()
    status_after_kill = status()

    second = Worker(env=env, name="kill-second")
    try:
        second.wait_ready()
        finished = wait_for(
            lambda: status() == RenderedDocument.Status.DONE,
            timeout=timeout + KILL_VISIBILITY_TIMEOUT,
            interval=0.2,
        )
        # Let a duplicate delivery, if any, run into the idempotency check before counting.
        time.sleep(1)
    finally:
        second.stop()
    rows = list(RenderedDocument.objects.filter(**source, language=language))
    files = sorted(p.name for p in (Path(settings.MEDIA_ROOT) / "reports").glob(f"*-{language}-v*.pdf"))
    result = {
        "status_after_kill": status_after_kill,
        "finished": finished,
        "rows": len(rows),
        "done_rows": sum(1 for r in rows if r.status == RenderedDocument.Status.DONE),
        "attempts": rows[0].attempts if rows else 0,
        "files": files,
        "recovery_seconds": time.monotonic() - killed_at,
        "total_seconds": time.monotonic() - started,
    }
    assert status_after_kill == RenderedDocument.Status.RENDERING, result
    assert finished and result["rows"] == 1 and result["done_rows"] == 1, result
    assert files == [Path(rows[0].file.name).name], result
    assert rendered.pk == rows[0].pk and result["attempts"] == 2, result
    return result


def main() -> int:
    from bench.reports import bench_document, setup_django

    setup_django()
    document = bench_document(consultations=4, key_messages=80)
    result = run_kill_test(document=document)
    print(
        f"reports-kill ok status_after_kill={result['status_after_kill']} done_rows={result['done_rows']} "
        f"files={len(result['files'])} attempts={result['attempts']} "
        f"recovery_seconds={result['recovery_seconds']:.1f}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
