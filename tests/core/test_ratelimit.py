"""Rate limits hold across app-server processes and count the client, not the proxy."""

import threading
import time

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection, connections
from django.db.utils import OperationalError
from django.test import RequestFactory
from rest_framework.authtoken.models import Token

from mosty.access.models import AuditEvent
from mosty.core.api_limits import AnonymousApiThrottle, UserApiThrottle
from mosty.core.ratelimit import client_ip
from tests.conftest import PASSWORD
from tests.events.factories import make_event

THREADS = 8
INCREMENTS = 25


def test_the_default_cache_is_shared_by_every_process():
    """A per-process cache (LocMemCache) let each gunicorn worker keep its own counters."""
    backend = django_settings.CACHES["default"]["BACKEND"]
    assert backend in {
        "mosty.core.cache.MostyDatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }


def _incr_waiting(cache, key):
    """The test database is SQLite in memory (shared cache), which reports "table is locked"
    at once where a database file waits out its busy timeout: wait here as the file would.
    A refused increment rolled back, so it cannot count twice."""
    for _ in range(500):
        try:
            return cache.incr(key)
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the counter stayed locked")


@pytest.mark.django_db(transaction=True)
def test_separate_cache_connections_share_one_counter_and_lose_no_increment():
    """Each thread opens its own cache and database connection, as a separate process does,
    and all increment one counter at the same time."""
    caches["default"].add("counter", 0, 3600)
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    seen: list[int] = []
    lock = threading.Lock()

    def work():
        cache = caches.create_connection("default")  # not the shared instance of this thread
        try:
            start.wait()
            for _ in range(INCREMENTS):
                value = _incr_waiting(cache, "counter")
                with lock:
                    seen.append(value)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert caches.create_connection("default").get("counter") == THREADS * INCREMENTS
    # Every increment returned a different value: none was lost to a concurrent one.
    assert sorted(seen) == list(range(1, THREADS * INCREMENTS + 1))


@pytest.mark.skipif("redis" in django_settings.CACHES["default"]["BACKEND"].lower(), reason="db")
def test_incrementing_keeps_the_expiry_and_respects_it(db):
    cache = caches["default"]
    cache.add("window", 1, 3600)
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM mosty_cache")
        before = cursor.fetchall()
    assert cache.incr("window", 2) == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM mosty_cache")
        assert cursor.fetchall() == before  # Django's incr would reset it to 5 minutes
    cache.add("gone", 1, 1)
    time.sleep(1.1)
    with pytest.raises(ValueError):
        cache.incr("gone")


def _request(**meta):
    return RequestFactory().get("/", **meta)


def test_client_ip_reads_the_configured_header(settings):
    settings.MOSTY_CLIENT_IP_HEADER = ""
    assert client_ip(_request(REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP="1.2.3.4")) == "10.0.0.9"
    settings.MOSTY_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(_request(REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP="1.2.3.4")) == "1.2.3.4"
    # Missing or garbled: the peer address, never the garbage.
    assert client_ip(_request(REMOTE_ADDR="10.0.0.9")) == "10.0.0.9"
    assert client_ip(_request(REMOTE_ADDR="10.0.0.9", HTTP_X_REAL_IP="evil")) == "10.0.0.9"
    settings.MOSTY_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    # The last entry is the one our proxy added; the first can be forged by the client.
    forwarded = _request(REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    assert client_ip(forwarded) == "1.2.3.4"


def _fail_login(client, email, ip):
    return client.post(
        "/en/accounts/login/",
        {"login": email, "password": "wrong password"},
        HTTP_X_REAL_IP=ip,
    )


def _locked(response) -> bool:
    return "Too many failed login attempts" in response.content.decode()


def test_login_lockout_and_its_audit_count_the_client_behind_the_proxy(client, world, settings):
    settings.MOSTY_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/15m/ip"}
    emails = [world.user(role).email for role in ("caseworker", "mentor", "assistant")]
    assert not _locked(_fail_login(client, emails[0], "203.0.113.7"))
    assert not _locked(_fail_login(client, emails[1], "203.0.113.7"))
    assert _locked(_fail_login(client, emails[2], "203.0.113.7"))
    # Another visitor behind the same proxy is not locked out with them.
    assert not _locked(_fail_login(client, emails[2], "198.51.100.4"))
    addresses = set(
        AuditEvent.objects.filter(action="mosty.auth.login_failed").values_list(
            "ip_address", flat=True
        )
    )
    assert addresses == {"203.0.113.7", "198.51.100.4"}
    ok = client.post(
        "/en/accounts/login/",
        {"login": world.user("coordinator").email, "password": PASSWORD},
        HTTP_X_REAL_IP="192.0.2.1",
    )
    assert ok.status_code == 302


def test_public_form_limit_counts_the_client_behind_the_proxy(client, world, settings):
    settings.MOSTY_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.MOSTY_PUBLIC_FORM_RATE = "1/h"
    event = make_event(world.org_a)
    url = f"/en/events/{event.pk}/register/"
    form = {"reg-name": "Olena", "reg-language": "uk", "reg-consent": "on"}

    def register(email, ip):
        return client.post(url, {**form, "reg-email": email}, HTTP_X_REAL_IP=ip).status_code

    assert register("a@example.org", "203.0.113.7") == 302
    assert register("b@example.org", "203.0.113.7") == 429
    assert register("c@example.org", "198.51.100.4") == 302


def test_public_hsds_api_is_throttled_per_client(client, world, monkeypatch, settings):
    settings.MOSTY_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    monkeypatch.setattr(AnonymousApiThrottle, "THROTTLE_RATES", {"anon": "3/m"})
    codes = [client.get("/hsds/services", HTTP_X_REAL_IP="203.0.113.7").status_code for _ in "1234"]
    assert codes == [200, 200, 200, 429]
    assert client.get("/hsds/services", HTTP_X_REAL_IP="198.51.100.4").status_code == 200


def test_token_api_is_throttled_per_user(client, world, monkeypatch):
    monkeypatch.setattr(UserApiThrottle, "THROTTLE_RATES", {"user": "2/m"})
    token = Token.objects.create(user=world.user("coordinator"))
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    codes = [client.get("/api/organisations/", **auth).status_code for _ in "123"]
    assert codes == [200, 200, 429]
    assert "Retry-After" in client.get("/api/organisations/", **auth)


def test_a_visitors_join_form_over_the_limit_saves_nothing(client, db, settings):
    settings.MOSTY_PUBLIC_FORM_RATE = "1/h"
    data = {
        "code": "ABCD-EFGH-IJ",
        "email": "someone@example.org",
        "password1": "a long safe password 42",
        "password2": "a long safe password 42",
    }
    # The first post counts and reaches the service: the unknown code is refused beside
    # the form's fields.
    first = client.post("/en/my/join/", data)
    assert first.status_code == 200 and first.context["form"].errors
    # The second is over the limit: only the message, the service is not asked.
    second = client.post("/en/my/join/", data)
    assert second.status_code == 200 and not second.context["form"].errors
    shown = [str(m) for m in second.context["messages"]]
    assert shown == [
        "Too many submissions have come from your network in a short time. Please try again later."
    ]
