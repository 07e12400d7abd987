from django.core.management.base import BaseCommand, CommandError

from mosty.core.benchmarking import BENCHMARKS, discover


class Command(BaseCommand):
    help = "Run benchmarks and print each result with its baseline and their ratio."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
        parser.add_argument("--json", action="store_true", help="one JSON object per result")

    def handle(self, *args, names, json: bool, **options):
        discover()
        unknown = set(names) - set(BENCHMARKS)
        if unknown:
            raise CommandError(
                f"unknown benchmark(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(BENCHMARKS))}"
            )
        for name in names or sorted(BENCHMARKS):
            for result in BENCHMARKS[name]():
                if json:
                    self.stdout.write(result.as_json())
                else:
                    self.stdout.write(
                        f"{result.bench:<12} {result.metric:<40} {result.value:>10.2f} {result.unit:<4}"
                        f" baseline {result.baseline:>10.2f}  ratio {result.ratio:>7.2f}  goal {result.goal}"
                    )
