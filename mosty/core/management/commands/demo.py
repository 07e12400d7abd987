import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import translation

from mosty.core.citypack import city_init
from mosty.core.models import City
from mosty.core.seeding import DEMO_PASSWORD, seed_run


class Command(BaseCommand):
    help = (
        "Run the demo: migrate, load the demo city, generate demo people, start worker and server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-server", action="store_true", help="prepare the data only")

    def handle(self, *args, port: int, no_server: bool, **options):
        from mosty.organisations.seed import DEMO_LABELS, DEMO_USERS

        address = f"http://127.0.0.1:{port}/"
        if "MOSTY_SITE_URL" not in os.environ:
            # Links in the demo's messages (written while seeding, sent by the worker) point
            # at the server this command starts, not at the default port.
            settings.MOSTY_SITE_URL = address.rstrip("/")
            os.environ["MOSTY_SITE_URL"] = settings.MOSTY_SITE_URL
        call_command("migrate", interactive=False, verbosity=0)
        if City.current() is None:
            self.stdout.write("Loading the demo city pack…")
            city_init(path=settings.DEMO_PACK)
            seed_run(scale="demo", out=self.stdout)
        else:
            self.stdout.write(
                f"Reusing the existing database ({settings.DATABASES['default']['NAME']})."
            )
        self.stdout.write(
            "\nDemo logins (password for all: " + self.style.SUCCESS(DEMO_PASSWORD) + "):"
        )
        with translation.override("en"):
            for email, _first, _last, _lang, org, role in DEMO_USERS:
                label = DEMO_LABELS.get(email, role.label)
                self.stdout.write(f"  {label:<28} {email:<34} ({org})")
        if no_server:
            return
        self.stdout.write(f"\nMosty runs on {address} — stop with Ctrl+C.\n")
        worker = subprocess.Popen([sys.executable, "-m", "mosty.cli", "worker"])
        # A plain `kill` of the demo must not leave the worker behind.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
