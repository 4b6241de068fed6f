from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_EMAIL = "admin@example.org"
DEMO_PASSWORD = "gcm-demo-admin"  # noqa: S105 - the demo's published login, refused outside DEBUG


class Command(BaseCommand):
    help = "Create (or reset) the demo's admin account and print its login. Only with DEBUG on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_demo_admin only runs with DEBUG=true (the demo).")
        from allauth.account.models import EmailAddress

        user, _ = get_user_model().objects.get_or_create(username="admin", defaults={"email": DEMO_EMAIL})
        user.email = DEMO_EMAIL
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login: {DEMO_EMAIL} / {DEMO_PASSWORD}  —  http://127.0.0.1:8000/en/admin/"
            )
        )
