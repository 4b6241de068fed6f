"""A registry of the personal data other apps keep about a person.

`stakeholders` must not import the apps built on it (consultations, pledges), yet "Download my data" and
"Delete my account" must cover what those apps hold. Each of them registers, from its AppConfig.ready(), an
exporter (returns JSON-serialisable data about the user) and an eraser (removes or detaches that data).
"""

from collections.abc import Callable
from typing import Any

Exporter = Callable[[Any], list | dict]
# Called as fn(user=..., actor=...): `actor` is who asked for the erasure (the person themselves, today).
Eraser = Callable[..., None]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}

# Keys the portal's own export uses at the top level; an app registering one of them would hide our data.
RESERVED_KEYS = frozenset({"generated_at", "account", "profile", "consents"})


def register_exporter(key: str, fn: Exporter) -> None:
    """Register `fn(user) -> list | dict` under `key` in the exported JSON. Registering a key again replaces
    the earlier function, so a reloaded AppConfig does not export twice."""
    if key in RESERVED_KEYS:
        raise ValueError(f"{key!r} is reserved for the profile's own data.")
    _exporters[key] = fn


def register_eraser(key: str, fn: Eraser) -> None:
    """Register `fn(*, user, actor) -> None`, called inside the account-deletion transaction."""
    _erasers[key] = fn


def registered_exporters() -> dict[str, Exporter]:
    return dict(sorted(_exporters.items()))


def registered_erasers() -> dict[str, Eraser]:
    return dict(sorted(_erasers.items()))
