"""HODIE_EMAIL_URL becomes Django's EMAIL_* settings (read by dj-email-url when settings load, so
each case starts a Python of its own); the older HODIE_SMTP_* still work; the default prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import NamedTuple

import pytest

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SHOW = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({k: getattr(settings, k, None) for k in ('EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', "
    "'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL', 'EMAIL_TIMEOUT')}))"
)


class Case(NamedTuple):
    env: dict[str, str]
    expected: dict[str, object]


CASES = [
    Case(
        {"HODIE_EMAIL_URL": "smtp://digest:p%40ss%2Fword@mail.example.org:587?tls=1"},
        {"EMAIL_BACKEND": SMTP, "EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 587, "EMAIL_HOST_USER": "digest",
         "EMAIL_HOST_PASSWORD": "p@ss/word", "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False, "EMAIL_TIMEOUT": 10},
    ),
    Case(
        {"HODIE_EMAIL_URL": "smtp://mail.example.org:465?ssl=1&timeout=30", "HODIE_SMTP_HOST": "ignored.example.org"},
        {"EMAIL_BACKEND": SMTP, "EMAIL_HOST": "mail.example.org", "EMAIL_PORT": 465, "EMAIL_HOST_USER": "",
         "EMAIL_HOST_PASSWORD": "", "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": True, "EMAIL_TIMEOUT": 30},
    ),
    Case(
        {"HODIE_SMTP_HOST": "legacy.example.org", "HODIE_SMTP_PORT": "2525", "HODIE_SMTP_USER": "u",
         "HODIE_SMTP_PASSWORD": "pw", "HODIE_SMTP_TLS": "false"},
        {"EMAIL_BACKEND": SMTP, "EMAIL_HOST": "legacy.example.org", "EMAIL_PORT": 2525, "EMAIL_HOST_USER": "u",
         "EMAIL_HOST_PASSWORD": "pw", "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": False, "EMAIL_TIMEOUT": 10},
    ),
    Case(
        {"HODIE_SMTP_HOST": "::1", "HODIE_SMTP_USER": "a@b.example", "HODIE_SMTP_PASSWORD": "p:w/@?#%"},
        {"EMAIL_BACKEND": SMTP, "EMAIL_HOST": "::1", "EMAIL_PORT": 587, "EMAIL_HOST_USER": "a@b.example",
         "EMAIL_HOST_PASSWORD": "p:w/@?#%", "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False},
    ),
    Case({}, {"EMAIL_BACKEND": CONSOLE}),
]  # fmt: skip


def _run(tmp_path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HODIE_EMAIL_URL", "HODIE_SMTP_"))}
    full = {**clean, "HODIE_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "hodie.site.settings", **env}
    return subprocess.run([sys.executable, "-c", SHOW], env=full, capture_output=True, text=True, timeout=120)


IDS = ["url-starttls", "url-ssl-wins", "older-smtp-settings", "older-settings-odd-characters", "console"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_email_settings(tmp_path, case: Case) -> None:
    done = _run(tmp_path, case.env)
    assert done.returncode == 0, done.stderr[-2000:]
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert {key: shown[key] for key in case.expected} == case.expected


def test_an_unknown_scheme_is_a_clear_error(tmp_path) -> None:
    done = _run(tmp_path, {"HODIE_EMAIL_URL": "smtpx://mail.example.org"})
    assert done.returncode != 0
    assert "HODIE_EMAIL_URL=smtpx://...: use smtp://, submission://, console:// or memory://" in done.stderr
