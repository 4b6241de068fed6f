import importlib

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

# Each app's demo content, in dependency order. A module exposes `load(*, stdout) -> None` and must be
# idempotent: `make demo` runs this command every time.
DEMO_MODULES = [
    "gcm_portal.demo.reviews",
    "gcm_portal.demo.consultations",
    "gcm_portal.demo.pledges",
    "gcm_portal.demo.reports",
]


class Command(BaseCommand):
    help = "Load (or refresh) the demo content: the Arab-region review, the Africa consultation, pledges."

    def handle(self, *args, **options):
        with translation.override("en"):
            for name in DEMO_MODULES:
                try:
                    module = importlib.import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name != name:
                        raise
                    continue
                with transaction.atomic():
                    module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
