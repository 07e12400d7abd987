from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mosty.core.citypack import PackInvalid, city_init


class Command(BaseCommand):
    help = "Load a city pack (YAML) into the database: city, districts, organisations, networks."

    def add_arguments(self, parser):
        parser.add_argument("pack", type=Path, help="path to the city pack YAML file")

    def handle(self, *args, pack: Path, **options):
        try:
            city = city_init(path=pack)
        except PackInvalid as exc:
            raise CommandError(exc.report())
        self.stdout.write(
            self.style.SUCCESS(
                f"{city.name}: {city.districts.count()} districts loaded from {pack}"
            )
        )
