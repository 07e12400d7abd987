"""Do login lockout and public-form limits hold when several processes serve the requests?

    python -m mosty.tools.probe_ratelimits [--code DIR] [--workers 4]

Builds a throw-away installation (SQLite under a temporary folder), starts gunicorn with
`--workers` processes on 127.0.0.1, sends 12 wrong passwords for one account and 40 public
event registrations from one address, and prints how many were let through. With the
default settings (5 failures per 15 minutes, 30 registrations per hour) a limit that holds
shows 5 ordinary failures and 30 accepted registrations. `--code` runs another checkout's
`mosty` package (e.g. an older commit unpacked with `git archive`) for a before/after.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

SETUP = """
from datetime import timedelta
from django.utils import timezone
from mosty.accounts.models import User
from mosty.core.models import City
from mosty.events.models import Event, EventTranslation, Session
from mosty.organisations.models import Organisation
City.objects.exists() or City.objects.create(name="Probe", slug="probe")
org = Organisation.objects.create(name="Probe org", slug="probe-org")
User.objects.create_user(email="probe@example.org", password="the right password 1")
event = Event.objects.create(organisation=org, kind="workshop", source_language="en",
    capacity=1000, is_public=True, audiences=["newcomers"], languages=["en"])
EventTranslation.objects.create(event=event, language="en", title="Probe", status="published")
start = timezone.now() + timedelta(days=7)
Session.objects.create(event=event, starts_at=start, ends_at=start + timedelta(hours=2),
    place="Here")
event.dates_refresh()
print(event.pk)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A visitor with cookies; every request opens a new connection, so gunicorn's sync
    workers share the requests among themselves."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path) as response:
            return response.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        try:
            with self.opener.open(request) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    code = args.code.resolve()
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as var:
        env = {
            **os.environ,
            "MOSTY_VAR_DIR": var,
            "PYTHONPATH": str(code),
            "DJANGO_SETTINGS_MODULE": "mosty.settings",
            "MOSTY_LOG_LEVEL": "ERROR",
        }
        env.pop("DATABASE_URL", None)
        env.pop("MOSTY_REDIS_URL", None)
        manage = [sys.executable, "-m", "django"]
        subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=code, check=True)
        out = subprocess.run(
            [*manage, "shell", "-c", SETUP], env=env, cwd=code, capture_output=True
        )
        if out.returncode:
            sys.exit(out.stderr.decode())
        event_pk = int(out.stdout.decode().split()[-1])
        port = _free_port()
        server = subprocess.Popen(
            [str(bin_dir / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}"]
            + ["--chdir", str(code), "mosty.wsgi"],
            cwd=code,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("PROBE_VERBOSE") else subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz").read()
                    break
                except OSError:
                    time.sleep(0.2)
            results = _probe(base, event_pk)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"gunicorn workers: {args.workers}, code: {code}")
    for line in results:
        print(line)
    return 0


def _probe(base: str, event_pk: int) -> list[str]:
    visitor = Browser(base)
    visitor.get("/en/accounts/login/")
    ordinary = locked = 0
    for _ in range(12):
        _status, html = visitor.post(
            "/en/accounts/login/", {"login": "probe@example.org", "password": "wrong password"}
        )
        if "Too many failed login attempts" in html:
            locked += 1
        else:
            ordinary += 1
    accepted = refused = 0
    other: list[int] = []
    for i in range(40):
        public = Browser(base)
        public.get(f"/en/events/{event_pk}/")
        status, _html = public.post(
            f"/en/events/{event_pk}/register/",
            {
                "reg-name": f"Person {i}",
                "reg-email": f"person{i}@example.org",
                "reg-language": "en",
                "reg-consent": "on",
            },
        )
        if status == 302:
            accepted += 1
        elif status == 429:
            refused += 1
        else:
            other.append(status)
    return [
        f"12 wrong passwords for one account: {ordinary} answered as ordinary failures, {locked} refused as locked",
        f"40 public registrations from one address: {accepted} accepted, {refused} refused (429)"
        + (f", other answers: {sorted(other)}" if other else ""),
    ]


if __name__ == "__main__":
    sys.exit(main())
