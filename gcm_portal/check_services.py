"""`python -m gcm_portal.check_services`: fail fast, with the command to fix it, when PostgreSQL or Redis
(which the test suite needs for real) cannot be reached. Creates the test database's parent if missing."""

import os
import socket
import sys
from urllib.parse import urlsplit


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=3):
            return True
    except OSError:
        return False


def main() -> int:
    db = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gcm_portal"))
    redis = urlsplit(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    failures = []
    if not _reachable(db.hostname or "127.0.0.1", db.port or 5432):
        failures.append(
            f"PostgreSQL is not reachable at {db.hostname}:{db.port or 5432}. Start it with:\n"
            "  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
        )
    if not _reachable(redis.hostname or "127.0.0.1", redis.port or 6379):
        failures.append(
            f"Redis is not reachable at {redis.hostname}:{redis.port or 6379}. Start it with:\n"
            '  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'
        )
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
