"""Admin logins are throttled (django-axes): wrong passwords from one address lock that address out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password="right-horse-battery", is_staff=True)


def attempt(client, password: str, addr: str, **headers: str):  # type: ignore[no-untyped-def]
    form = {"username": "editor", "password": password, "next": "/admin/"}
    return client.post("/admin/login/?next=/admin/", form, REMOTE_ADDR=addr, **headers)


def test_five_wrong_passwords_lock_the_address_out_even_for_the_right_one(client, editor) -> None:
    statuses = [attempt(client, f"guess-{n}", "203.0.113.50").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the form again with its error, then locked at the fifth
    locked = attempt(client, "right-horse-battery", "203.0.113.50")
    assert locked.status_code == 429
    elsewhere = attempt(client, "right-horse-battery", "198.51.100.60")
    assert elsewhere.status_code == 302 and elsewhere["Location"] == "/admin/"


def test_behind_a_proxy_the_lock_is_the_readers_not_the_proxys(client, editor, settings) -> None:
    settings.HODIE_TRUSTED_PROXIES = "1"
    for n in range(5):
        attempt(client, f"guess-{n}", "10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert attempt(client, "right-horse-battery", "10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 429
    other = attempt(client, "right-horse-battery", "10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.60")
    assert other.status_code == 302
