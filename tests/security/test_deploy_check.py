"""The production settings pass Django's deployment checks, and those of django-axes,
django-otp and django-csp, with no warning at all (as CI runs them)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def production(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REQUIRE_2FA", "TRUSTED_PROXY"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cica_admin.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="cica.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
    )
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_passes_with_production_settings(production):
    result = manage(production, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_fails_on_a_weak_setting(production):
    """The check above can fail: an insecure key is a warning, and fails the run."""
    production["SECRET_KEY"] = "django-insecure-short"
    result = manage(production, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_production_requires_two_factor_and_trusts_one_proxy(production):
    result = manage(
        production,
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; "
        "print(settings.REQUIRE_2FA, settings.TRUSTED_PROXY_COUNT, settings.DEBUG)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "1", "False"]


def test_production_on_sqlite_keeps_the_database_configuration_of_every_environment(
    production,
):
    """Without IMMEDIATE transactions, simultaneous saves on SQLite fail "database is
    locked" and the lost-update guarantee does not hold; without WAL, readers and the
    writer wait for each other."""
    shown = manage(
        production,
        "shell",
        "-c",
        "from django.conf import settings; from django.db import connection; "
        "print(settings.DATABASES['default']['OPTIONS'].get('transaction_mode')); "
        "cursor = connection.cursor(); cursor.execute('PRAGMA journal_mode'); "
        "print(cursor.fetchone()[0]); cursor.execute('PRAGMA busy_timeout'); "
        "print(cursor.fetchone()[0])",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-3:] == ["IMMEDIATE", "wal", "20000"]
