import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from tqdm import tqdm

from demo.data.seed import seed_demo, seed_total_steps


class Command(BaseCommand):
    help = "Create demo factories, products and streamers (idempotent) and print demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--no-images", action="store_true", help="Skip the drawn product pictures.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (creates accounts with known passwords).",
        )

    def handle(self, *args, no_images=False, force=False, **options):
        # The printed accounts have published passwords, one of them a superuser: never by accident in production.
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: refusing to create demo accounts with known passwords (use --force)."
            )
        started = time.monotonic()
        # The demo's deals notify their parties by e-mail; the addresses are made up, and printing
        # dozens of messages on `make run`'s console would bury the logins. The inbox keeps them.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            tqdm(total=seed_total_steps(), desc="seed_demo", unit="row", file=self.stderr._out) as bar,
        ):
            report = seed_demo(images=not no_images, step=bar.update)
        created = report.created
        self.stdout.write(
            f"Created {created['users']} users, {created['factories']} factories, {created['products']} products, "
            f"{created['streamers']} streamers, {created['images']} images, {created['trials']} trials, "
            f"{created['samples']} samples, {created['custom_requests']} custom requests, "
            f"{created['quotes']} quotes in {time.monotonic() - started:.1f} s."
        )
        self.stdout.write(
            self.style.SUCCESS("Demo logins (web: /admin/ for staff; API: POST /api/v1/auth/token/):")
        )
        for role, (username, password) in report.logins.items():
            self.stdout.write(f"  {role:8} {username:16} {password}")
        self.stdout.write(
            f"  Every other demo account (e.g. gz_meiyan, s_qiqi) uses the password {report.shared_password}"
        )
