import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the first administrator login unless it exists. The username and "
        "password come from DJANGO_SUPERUSER_USERNAME / DJANGO_SUPERUSER_PASSWORD; "
        "without a password, one is generated and printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"Admin login “{username}” exists; its password is unchanged "
                f"(reset it with: python manage.py changepassword {username})."
            )
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        self.stdout.write(self.style.SUCCESS(f"Created admin login “{username}”."))
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"  username: {username}\n  password: {password}\n"
                    "  This password is shown only now: note it."
                )
            )
