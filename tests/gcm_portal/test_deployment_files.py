"""No Docker engine runs the tests: these check that the deployment files agree with the code they start."""

import importlib
import re
from pathlib import Path

import pytest
import yaml
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def settings_env_names() -> set[str]:
    """Every variable settings.py reads: env("X"), env.bool("X"), env.db("X"), env.list("X"), …"""
    source = (ROOT / "gcm_portal" / "settings.py").read_text()
    return set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", source))


def environment_names(service: dict) -> set[str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return {item.split("=", 1)[0] for item in environment}
    return set(environment)


def test_settings_reading_is_detected():
    names = settings_env_names()
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "EMAIL_URL"} <= names


def test_the_five_services_exist(compose):
    assert {"web", "worker", "beat", "db", "redis"} <= set(compose["services"])
    assert compose["services"]["db"]["image"].startswith("postgres:15")
    assert compose["services"]["redis"]["image"].startswith("redis:7")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_share_the_image_and_set_only_variables_settings_read(compose, name):
    service = compose["services"][name]
    assert service["build"] == "."
    names = environment_names(service)
    assert names, f"{name} sets no environment"
    assert names <= settings_env_names(), names - settings_env_names()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"} <= names
    assert service["environment"]["DEBUG"] == "false"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_reach_db_and_redis_by_service_name(compose, name):
    environment = compose["services"][name]["environment"]
    assert "@db:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")


def test_web_runs_gunicorn_on_the_project_wsgi_module(compose):
    command = compose["services"]["web"]["command"]
    match = re.search(r"gunicorn ([\w.]+):(\w+)", command)
    assert match, command
    module = importlib.import_module(match.group(1))
    assert callable(getattr(module, match.group(2)))
    workers = int(re.search(r"--workers (\d+)", command).group(1))
    assert 2 <= workers <= 4
    assert "manage.py migrate" in command


def test_web_healthcheck_probes_healthz(compose, client, db):
    probe = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    path = re.search(r"http://127\.0\.0\.1:8000(/\w+)", probe).group(1)
    assert resolve(path).func.__name__ == "healthz"
    assert client.get(path).json() == {"status": "ok"}


@pytest.mark.parametrize(("name", "role"), [("worker", "worker"), ("beat", "beat")])
def test_worker_and_beat_run_the_project_celery_app(compose, name, role):
    command = compose["services"][name]["command"]
    match = re.match(r"celery -A (\w+) (\w+)", command)
    assert match and match.group(2) == role, command
    from celery import Celery

    assert isinstance(importlib.import_module(f"{match.group(1)}.celery").app, Celery)


def test_secrets_have_no_default(compose):
    web = compose["services"]["web"]["environment"]
    assert web["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert "${POSTGRES_PASSWORD:?" in web["DATABASE_URL"]
    assert compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_dockerfile_builds_the_runtime_image(dockerfile):
    assert re.search(r"^FROM python:3\.11-slim-bookworm\b", dockerfile, re.MULTILINE)
    assert "pip install -r requirements/base.txt" in dockerfile
    assert "COPY requirements/base.txt" in dockerfile and (ROOT / "requirements" / "base.txt").exists()
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-noto-core", "gettext"):
        assert re.search(rf"apt-get install[^&]*\b{re.escape(package)}\b", dockerfile), package
    assert "manage.py collectstatic --no-input" in dockerfile
    assert "manage.py compilemessages" in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, re.MULTILINE), "the server must not run as root"
    assert "gcm_portal.wsgi:application" in dockerfile


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".env", ".git", ".venv", "var", "staticfiles"} <= ignored


def test_env_example_lists_only_variables_something_reads(compose):
    compose_source = (ROOT / "docker-compose.yml").read_text()
    compose_variables = set(re.findall(r"\$\{(\w+)", compose_source))
    names = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert names <= settings_env_names() | compose_variables, names - settings_env_names() - compose_variables
    # Every variable compose interpolates is documented for whoever writes the .env file.
    assert compose_variables <= names, compose_variables - names


def _default(value: str) -> str:
    """The default of a `${NAME:-default}` interpolation."""
    match = re.fullmatch(r"\$\{\w+:-([^}]*)\}", value)
    assert match, value
    return match.group(1)


def test_web_is_published_on_the_loopback_interface_only(compose):
    # Published on every interface, the port would let clients skip the proxy and its TLS.
    ports = compose["services"]["web"]["ports"]
    assert ports == ["127.0.0.1:${WEB_PORT:-8000}:8000"]
    for name in ("worker", "beat", "db", "redis"):
        assert "ports" not in compose["services"][name], name


def test_gunicorn_trusts_forwarded_headers_from_the_proxy_only(compose):
    command = compose["services"]["web"]["command"]
    allowed = re.search(r"--forwarded-allow-ips '([^']+)'", command).group(1)
    assert "*" not in allowed
    assert allowed == "${TRUSTED_PROXY_IPS:-172.30.0.1}"
    # The default is the compose network's gateway: where a proxy on the host connects from.
    [network] = compose["networks"]["default"]["ipam"]["config"]
    assert _default(allowed) == network["gateway"] == "172.30.0.1"
    assert network["subnet"] == "172.30.0.0/24"


def test_the_image_alone_trusts_forwarded_headers_from_loopback_only():
    command = (ROOT / "Dockerfile").read_text().split("CMD", 1)[1]
    assert '"*"' not in command and "'*'" not in command
    assert '--forwarded-allow-ips \\"${TRUSTED_PROXY_IPS:-127.0.0.1}\\"' in command


@pytest.mark.parametrize("name", APP_SERVICES)
def test_rate_limits_see_the_client_behind_the_one_proxy(compose, name):
    environment = compose["services"][name]["environment"]
    assert _default(environment["ALLAUTH_TRUSTED_PROXY_COUNT"]) == "1"


def test_env_example_matches_the_compose_defaults():
    values = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert values["DEBUG"] == "false"
    assert values["ALLAUTH_TRUSTED_PROXY_COUNT"] == "1"
    assert values["TRUSTED_PROXY_IPS"] == "172.30.0.1"
