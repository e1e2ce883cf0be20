"""Production settings: `check --deploy` is clean, and no SECRET_KEY means no start.

Both run in a subprocess because settings are read once per process and the test process
itself runs with development settings.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    # A developer's own DEBUG or SECURE_* variables must not change what is being checked.
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} and not k.startswith("SECURE_")
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "marketplace.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_with_production_settings():
    # given: DEBUG off, a long random SECRET_KEY, a host and the shared cache (sign-in failure counts)
    env = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "yuantou.example",
        "CACHE_URL": "redis://127.0.0.1:6379/0",
    }

    # when
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)

    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_warns_when_sign_in_failures_are_counted_per_process():
    # given: production without CACHE_URL, so each app server would count failed sign-ins alone
    env = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "yuantou.example"}
    # when
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)
    # then
    assert result.returncode == 1
    assert "axes.W001" in result.stderr


def test_production_settings_refuse_to_start_without_secret_key():
    # given: DEBUG off and no SECRET_KEY in the environment
    env = {"DEBUG": "0", "ALLOWED_HOSTS": "yuantou.example"}

    # when
    result = run(["-c", "import django; django.setup()"], **env)

    # then
    assert result.returncode == 1
    assert (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off."
        in result.stderr
    )


def test_empty_secret_key_is_refused_too():
    # given: a deployment template that leaves the variable blank
    env = {"DEBUG": "0", "SECRET_KEY": "", "ALLOWED_HOSTS": "yuantou.example"}

    # when
    result = run(["manage.py", "check"], **env)

    # then
    assert result.returncode == 1
    assert "ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off." in result.stderr
