"""Benchmark of the outcome-document PDFs (`make bench-reports`, or `python -m bench.reports`).

A review like the demo's, scaled to 20 consultations and 500 approved key messages in three languages, is
created in the bench database (its own PostgreSQL database, `gcm_bench_reports` beside DATABASE_URL's, when
run alone; the caller's when run from bench.run_all). Then:

1. render_ratio: one language rendered through the project (inputs, content hash, HTML, WeasyPrint, storage)
   against WeasyPrint alone on the same HTML. Best of two each. Target <= 1.25.
2. three_langs_vs_one: wall time for "generate" of three languages with three Celery workers against one
   language (English), workers warmed up first. Target <= 1.2 — the machine's cores bound it: three renders
   on two cores cannot take the time of one. So the lines also give that bound (`floor_on_N_cores`: the
   longest of the three renders alone, or their total over the cores, against English alone) and, for
   information, English and French on two workers against English alone, which two cores can run side by
   side.
3. The kill test (bench.reports_kill).

Prints the figures and one final line `reports-bench render_ratio=… three_langs_vs_one=… (…)`.
"""

import datetime
import os
import sys
import time
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

BENCH_SLUG = "bench-reports"
CONSULTATIONS = 20
KEY_MESSAGES = 500
TARGET_RENDER_RATIO = 1.25
TARGET_THREE_LANGS = 1.2


def setup_django() -> None:
    """Standalone runs: the bench's own database (created and migrated) and the caller's Redis DB."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gcm_portal")
    parts = urlsplit(url)
    if not os.environ.get("BENCH_REPORTS_KEEP_DATABASE"):
        url = urlunsplit(parts._replace(path="/gcm_bench_reports"))
        _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gcm_portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    os.environ.setdefault("MEDIA_ROOT", "/tmp/gcm-bench-reports-media")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def remove_bench_review() -> None:
    from consultations.models import Consultation, KeyMessage, Registration
    from reports.models import OutcomeDocument
    from reviews.models import RegionalReview

    old = RegionalReview.objects.filter(slug=BENCH_SLUG).first()
    if old is not None:
        OutcomeDocument.objects.filter(review=old).delete()
        KeyMessage.objects.filter(consultation__review=old).delete()
        Registration.objects.filter(consultation__review=old).delete()
        Consultation.objects.filter(review=old).delete()
        old.delete()


def bench_document(*, consultations: int = CONSULTATIONS, key_messages: int = KEY_MESSAGES):
    """A fresh bench review with its consultations, registrations, approved key messages and outcome document."""
    from django.db import transaction
    from django.utils import timezone

    from consultations.models import Consultation, KeyMessage, Registration
    from reports.models import OutcomeDocument
    from reviews.models import Objective, Region, RegionalReview

    with transaction.atomic():
        remove_bench_review()
        review = RegionalReview.objects.create(
            region=Region.objects.get(key="arab"),
            round=99,
            slug=BENCH_SLUG,
            title_ar="الاستعراض الإقليمي التجريبي للاتفاق العالمي من أجل الهجرة",
            title_en="Benchmark regional review of the Global Compact for Migration",
            title_fr="Examen régional d'essai du Pacte mondial sur les migrations",
            conference_start=datetime.date(2024, 7, 3),
            conference_end=datetime.date(2024, 7, 4),
            is_published=True,
        )
        objectives = list(Objective.objects.order_by("number"))
        start = timezone.make_aware(datetime.datetime(2024, 3, 1, 10), datetime.UTC)
        rows = []
        for index in range(consultations):
            rows.append(
                Consultation.objects.create(
                    review=review,
                    slug=f"{BENCH_SLUG}-{index}",
                    title_ar=f"المشاورة المواضيعية رقم {index + 1} بشأن الهجرة",
                    title_en=f"Thematic consultation {index + 1} on migration",
                    title_fr=f"Consultation thématique n° {index + 1} sur les migrations",
                    starts_at=start + datetime.timedelta(days=7 * index),
                    ends_at=start + datetime.timedelta(days=7 * index, hours=2),
                    status=Consultation.Status.HELD,
                    is_published=True,
                )
            )
        Registration.objects.bulk_create(
            Registration(
                consultation=consultation,
                status=Registration.Status.ATTENDED,
                region_key="arab",
                gender=("woman", "man")[n % 2],
                stakeholder_group_key="civil_society",
            )
            for consultation in rows
            for n in range(30)
        )
        kinds = KeyMessage.Kind.values
        for n in range(key_messages):
            message = KeyMessage.objects.create(
                consultation=rows[n % consultations],
                kind=kinds[n % len(kinds)],
                order=n,
                status=KeyMessage.Status.APPROVED,
                original_language="ar",
                text_ar=f"الرسالة الرئيسية {n + 1}: تعزيز التعاون الإقليمي في جمع البيانات المصنفة وحماية حقوق "
                "المهاجرين في جميع مراحل الهجرة، مع إشراك المجتمع المدني والسلطات المحلية.",
                text_en=f"Key message {n + 1}: strengthen regional cooperation on disaggregated data and protect "
                "migrants' rights at every stage of migration, with civil society and local authorities.",
                text_fr=f"Message clé {n + 1} : renforcer la coopération régionale sur les données ventilées et "
                "protéger les droits des migrants à chaque étape, avec la société civile et les autorités locales.",
            )
            message.objectives.set([objectives[n % 23], objectives[(n * 7) % 23]])
        document = OutcomeDocument.objects.create(
            review=review,
            preamble_ar="<p>نحن المشاركين في الاستعراض الإقليمي.</p>",
            preamble_en="<p>We, the participants in the regional review.</p>",
            preamble_fr="<p>Nous, participants à l'examen régional.</p>",
            main_messages_ar="<p>التعاون مهم.</p>",
            main_messages_en="<p>Cooperation matters.</p>",
            main_messages_fr="<p>La coopération compte.</p>",
        )
    return document


def _clear_renders(document) -> None:
    from reports.models import RenderedDocument

    RenderedDocument.objects.filter(outcome_document=document).delete()


def measure_render_ratio(document, language: str = "en") -> tuple[float, float, int]:
    """(seconds through the project, seconds WeasyPrint alone, pages): best of two each."""
    from weasyprint import HTML

    from reports import selectors, services
    from reports.documents import BASE_URL, build_html

    project, alone, pages = [], [], 0
    for _ in range(2):
        _clear_renders(document)
        began = time.perf_counter()
        with mock.patch("reports.tasks.render_document.delay"):
            (rendered,) = services.generate_document(document=document, actor=None, languages=[language])
        rendered = services.render_queued_document(rendered_id=rendered.pk)
        project.append(time.perf_counter() - began)
        pages = rendered.page_count

        html = build_html(selectors.outcome_document_inputs(document=document, language=language))
        began = time.perf_counter()
        HTML(string=html, base_url=BASE_URL).write_pdf()
        alone.append(time.perf_counter() - began)
    return min(project), min(alone), pages


def _generate_and_wait(document, languages: list[str], timeout: float = 600) -> float:
    from django.db import close_old_connections

    from bench.reports_kill import wait_for
    from reports import services
    from reports.models import RenderedDocument

    _clear_renders(document)
    began = time.perf_counter()
    services.generate_document(document=document, actor=None, languages=languages)

    def all_done() -> bool:
        close_old_connections()
        statuses = list(
            RenderedDocument.objects.filter(outcome_document=document).values_list("status", flat=True)
        )
        if "failed" in statuses:
            raise RuntimeError("a render failed")
        return len(statuses) == len(languages) and set(statuses) == {"done"}

    if not wait_for(all_done, timeout=timeout, interval=0.05):
        raise RuntimeError("renders did not finish in time")
    return time.perf_counter() - began


def measure_three_languages(document) -> dict[str, float]:
    """Wall seconds with three single-process workers: each language alone, English and French together, and
    all three together."""
    from bench.reports_kill import Worker, worker_environment

    env = worker_environment()
    workers = [Worker(env=env, name=f"bench-reports-{n}") for n in range(3)]
    try:
        for worker in workers:
            worker.wait_ready()
        _generate_and_wait(
            document, ["ar", "en", "fr"]
        )  # warm-up: fonts and templates loaded in every worker
        times = {language: _generate_and_wait(document, [language]) for language in ("ar", "en", "fr")}
        times["en+fr"] = _generate_and_wait(document, ["en", "fr"])
        times["ar+en+fr"] = _generate_and_wait(document, ["ar", "en", "fr"])
    finally:
        for worker in workers:
            worker.stop()
    return times


def cores_floor(times: dict[str, float], languages: list[str], cores: int) -> float:
    """The least wall time `languages` can take in parallel on `cores` cores, relative to English alone: the
    longest render, or all of their CPU time shared out over the cores, whichever is more."""
    alone = [times[language] for language in languages]
    return max(max(alone), sum(alone) / min(cores, len(alone))) / times["en"]


def run() -> list[str]:
    """Run every phase on the configured database and Redis DB; return the lines to print."""
    from bench.reports_kill import run_kill_test

    document = bench_document()
    lines = []
    project, alone, pages = measure_render_ratio(document)
    render_ratio = project / alone
    lines.append(
        f"reports render project_s={project:.2f} weasyprint_s={alone:.2f} ratio={render_ratio:.2f} pages={pages}"
    )
    times = measure_three_languages(document)
    cores = os.cpu_count() or 1
    one, three = times["en"], times["ar+en+fr"]
    three_vs_one = three / one
    lines.append(
        f"reports generate one_lang_s={one:.2f} three_langs_s={three:.2f} ratio={three_vs_one:.2f} "
        f"floor_on_{cores}_cores={cores_floor(times, ['ar', 'en', 'fr'], cores):.2f}"
    )
    lines.append(
        f"reports generate (for information) alone_s=ar:{times['ar']:.2f},en:{times['en']:.2f},fr:{times['fr']:.2f} "
        f"two_langs_s={times['en+fr']:.2f} two_langs_vs_one={times['en+fr'] / one:.2f} "
        f"floor_on_{cores}_cores={cores_floor(times, ['en', 'fr'], cores):.2f}"
    )
    small = bench_document(consultations=4, key_messages=80)
    kill = run_kill_test(document=small)
    lines.append(
        f"reports kill status_after_kill={kill['status_after_kill']} done_rows={kill['done_rows']} "
        f"files={len(kill['files'])} attempts={kill['attempts']} recovery_s={kill['recovery_seconds']:.1f}"
    )
    lines.append(
        f"reports-bench render_ratio={render_ratio:.2f} three_langs_vs_one={three_vs_one:.2f} "
        f"(targets <= {TARGET_RENDER_RATIO} and <= {TARGET_THREE_LANGS}; {KEY_MESSAGES} key messages, "
        f"{CONSULTATIONS} consultations, {pages} pages, {cores} cores, kill_test=ok)"
    )
    remove_bench_review()
    return lines


def main() -> int:
    setup_django()
    for line in run():
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
