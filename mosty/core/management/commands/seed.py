from django.core.management.base import BaseCommand

from mosty.core.seeding import SCALES, seed_run


class Command(BaseCommand):
    help = (
        "Generate synthetic data: --scale demo (a small city) or large (the benchmarks' yardstick)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, default="demo")
        parser.add_argument("--only", nargs="*", help="run only these seeders (by name)")

    def handle(self, *args, scale: str, only=None, **options):
        seed_run(scale=scale, out=self.stdout, only=only)
