"""Gates that keep the project releasable: migrations in step, system checks clean, translations complete."""

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_models_and_migrations_match():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_system_checks_are_clean():
    out = StringIO()
    call_command("check", "--fail-level", "WARNING", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_translation_catalogue_is_complete(lang):
    po = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, check=True
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats
    assert int(stats.split()[0]) > 50


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_compiled_catalogue_is_current(lang):
    po = ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime - 1, f"run make messages for {lang}"


def test_catalogue_covers_every_marked_string(tmp_path):
    """A string marked in code or templates but missing from the catalogues would show in English."""
    import shutil

    work = tmp_path / "project"
    shutil.copytree(
        ROOT, work, ignore=shutil.ignore_patterns(".venv", "var", "staticfiles", ".git", "test-artifacts")
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "ar",
            "-l",
            "fr",
            "--no-location",
            "--no-obsolete",
            "-i",
            ".venv",
            "-i",
            "var",
            "-i",
            "staticfiles",
        ],
        cwd=work,
        check=True,
        capture_output=True,
    )
    for lang in ("ar", "fr"):
        stats = subprocess.run(
            [
                "msgfmt",
                "--statistics",
                "-o",
                "/dev/null",
                str(work / "locale" / lang / "LC_MESSAGES" / "django.po"),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        assert "untranslated" not in stats and "fuzzy" not in stats, f"{lang}: {stats}"


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]
