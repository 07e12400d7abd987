"""Production settings: secure by default, refusing to start without the essentials."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def run_mosty(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("MOSTY_", "DJANGO_", "PYTEST"))
    }
    return subprocess.run(
        [sys.executable, "-m", "mosty.cli", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = run_mosty(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        MOSTY_PRODUCTION="1",
        MOSTY_SECRET_KEY=secrets.token_urlsafe(60),
        MOSTY_ALLOWED_HOSTS="mosty.example.org",
        MOSTY_VAR_DIR=str(tmp_path),
        MOSTY_ENCRYPTION_KEYS=fernet_key(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = run_mosty(
        "check", MOSTY_PRODUCTION="1", MOSTY_ALLOWED_HOSTS="x.org", MOSTY_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "MOSTY_SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = run_mosty(
        "check",
        MOSTY_PRODUCTION="1",
        MOSTY_SECRET_KEY="x" * 60,
        MOSTY_VAR_DIR=str(tmp_path),
        MOSTY_ENCRYPTION_KEYS=fernet_key(),
    )
    assert result.returncode != 0
    assert "MOSTY_ALLOWED_HOSTS must be set" in result.stderr


def test_bad_environment_values_are_named(tmp_path):
    result = run_mosty("check", MOSTY_SESSION_IDLE_MINUTES="soon", MOSTY_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "MOSTY_SESSION_IDLE_MINUTES must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_generates_its_own_secret_key(tmp_path):
    result = run_mosty("check", MOSTY_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "secret_key").read_text()) >= 50
