from django.conf import settings
from django.core.management.base import BaseCommand

from consultations.services import purge_expired_personal_data


class Command(BaseCommand):
    help = (
        "Detach registrations from the people who made them once their consultation ended more than "
        "RETENTION_MONTHS ago. Counts and balance figures stay. Celery beat runs the same every night."
    )

    def handle(self, *args, **options):
        count = purge_expired_personal_data()
        self.stdout.write(
            f"Detached {count} registrations from consultations that ended over {settings.RETENTION_MONTHS} months ago."
        )
