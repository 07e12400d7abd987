import inspect
import io

from django.core.management.base import BaseCommand, CommandError

from mosty.core.benchmarking import BENCHMARKS, discover, format_result


class Command(BaseCommand):
    help = "Run benchmarks and print each result with its baseline and their ratio."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
        parser.add_argument("--json", action="store_true", help="one JSON object per result")
        parser.add_argument(
            "--repeat", type=int, help="timed requests per page (`pages`; default 20)"
        )
        parser.add_argument(
            "--user", action="append", dest="users", help="e-mail of a user to walk (`pages`)"
        )

    def handle(self, *args, names, json: bool, repeat=None, users=None, **options):
        discover()
        unknown = set(names) - set(BENCHMARKS)
        if unknown:
            raise CommandError(
                f"unknown benchmark(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(BENCHMARKS))}"
            )
        # In JSON mode the walk's running commentary would break the one-object-per-line output.
        given = {"repeat": repeat, "users": users, "out": io.StringIO() if json else self.stdout}
        for name in names or sorted(BENCHMARKS):
            fn = BENCHMARKS[name]
            accepted = inspect.signature(fn).parameters
            kwargs = {k: v for k, v in given.items() if k in accepted and v is not None}
            results = fn(**kwargs)
            if json:
                for result in results:
                    self.stdout.write(result.as_json())
            elif "out" not in kwargs:  # a walk prints each page as it is measured
                for result in results:
                    self.stdout.write(format_result(result))
