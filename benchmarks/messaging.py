"""The outbox: how fast the worker sends, and what a broadcast to 5,000 people costs.

- messages per second delivered to the console SMS backend (each one: lock the row, decrypt
  its payload, render the template in the recipient's language, send, mark sent, audit),
  against the barest outbox (send, then one UPDATE per row);
- the time to write a broadcast to 5,000 recipients (rows in batches of 500, one send task per
  batch), against a bare `bulk_create` of the same 5,000 rows.

All of it runs inside a transaction that is rolled back: the database is left as it was.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from mosty.core.benchmarking import BenchResult, benchmark

SENDS = 1000
RECIPIENTS = 5000


class _Rollback(Exception):
    pass


@benchmark("messaging")
def messaging_benchmark() -> list[BenchResult]:
    from mosty.messaging import backends, tasks
    from mosty.messaging.models import Message, MessageStatus
    from mosty.messaging.outbox import broadcast

    results: list[BenchResult] = []
    try:
        with transaction.atomic():
            people = [
                {"to": f"+48600{i:06d}", "channel": "sms", "language": ("pl", "uk", "ar")[i % 3]}
                for i in range(SENDS)
            ]
            broadcast(people, "event_cancelled", {"title": "Kurs A1"}, key="bench-send")
            ids = list(
                Message.objects.filter(idempotency_key__startswith="bench-send:").values_list(
                    "pk", flat=True
                )
            )
            started = time.perf_counter()
            for pk in ids:
                tasks.deliver(pk)
            elapsed = time.perf_counter() - started
            sent = Message.objects.filter(pk__in=ids, status=MessageStatus.SENT).count()
            # The barest outbox: send, then one UPDATE per message (no lock, no template, no
            # audit, no encrypted payload).
            console = backends.ConsoleSmsBackend()
            bare_started = time.perf_counter()
            with connection.cursor() as cursor:
                for i, pk in enumerate(ids):
                    console.send(address=f"+48600{i:06d}", subject="", body="Kurs A1")
                    cursor.execute(
                        "UPDATE messaging_message SET attempts = attempts + 1 WHERE id = %s", [pk]
                    )
            bare = time.perf_counter() - bare_started
            backends.SENT.clear()
            results.append(
                BenchResult(
                    "messaging",
                    f"messages per second to the console backend ({sent} sent)",
                    round(sent / elapsed, 1),
                    round(SENDS / bare, 1),
                    "at least 100 messages per second per worker",
                    unit="msg/s",
                )
            )

            recipients = [{"to": f"r{i}@example.org", "language": "uk"} for i in range(RECIPIENTS)]
            started = time.perf_counter()
            broadcast(recipients, "event_cancelled", {"title": "Kurs A1"}, key="bench-broadcast")
            enqueue_ms = (time.perf_counter() - started) * 1000
            started = time.perf_counter()
            Message.objects.bulk_create(
                [
                    Message(
                        channel="email",
                        template="event_cancelled",
                        language="uk",
                        idempotency_key=f"bench-bare:{i}",
                    )
                    for i in range(RECIPIENTS)
                ],
                batch_size=500,
            )
            bare_ms = (time.perf_counter() - started) * 1000
            results.append(
                BenchResult(
                    "messaging",
                    f"broadcast to {RECIPIENTS:,} recipients written by the worker",
                    round(enqueue_ms, 1),
                    round(bare_ms, 1),
                    "under 5 s in the worker; the organiser's page only enqueues one task",
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    return results
