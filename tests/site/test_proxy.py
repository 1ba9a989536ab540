"""HODIE_TRUSTED_PROXIES: the reader's address behind proxies, for the rate limit and the spam service."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hodie.site.proxy import client_address, parse
from tests.social.test_comments import ARTICLE, aged, form_of
from tests.social.test_spamservice import fake_akismet, service  # noqa: F401 (fixtures)


def post(client, url: str, addr: str, forwarded: str, **fields):  # type: ignore[no-untyped-def]
    data = {**aged(form_of(client, url)), "name": "Anna", "body": "A thoughtful comment.", **fields}
    return client.post("/comments/post/", data, REMOTE_ADDR=addr, HTTP_X_FORWARDED_FOR=forwarded)


@dataclass(frozen=True)
class Case:
    setting: str
    remote: str
    forwarded: str
    client: str


CASES = [
    Case("", "203.0.113.7", "198.51.100.1", "203.0.113.7"),
    Case("1", "10.0.0.2", "198.51.100.1", "198.51.100.1"),
    Case("1", "10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
    Case("2", "10.0.0.3", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
    Case("2", "10.0.0.3", "198.51.100.1", "198.51.100.1"),
    Case("1", "10.0.0.2", "", "10.0.0.2"),
    Case("1", "10.0.0.2", "not-an-address, 198.51.100.1", "10.0.0.2"),
    Case("1", "10.0.0.2", "[2001:db8::5]:4711", "2001:db8::5"),
    Case("10.0.0.0/8", "10.0.0.3", "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
    Case("10.0.0.0/8", "203.0.113.7", "198.51.100.1", "203.0.113.7"),
    Case("10.0.0.2, 10.0.0.3", "10.0.0.3", "10.0.0.2", "10.0.0.2"),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.setting or 'none'}:{c.remote}<-{c.forwarded}" for c in CASES])
def test_client_address(case: Case) -> None:
    """Only entries written by trusted proxies are believed, read from the right."""
    assert client_address(case.remote, case.forwarded, parse(case.setting)) == case.client


def test_a_malformed_setting_says_how_to_write_it() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="give a number of proxies"):
        parse("nginx")


@pytest.mark.django_db
def test_without_a_proxy_setting_a_forged_header_does_not_dodge_the_rate_limit(client, demo, settings) -> None:
    settings.HODIE_COMMENT_MODERATION = "never"
    first = post(client, ARTICLE, addr="203.0.113.7", forwarded="198.51.100.1")
    second = post(client, ARTICLE, addr="203.0.113.7", body="Again", forwarded="198.51.100.2")
    assert (first.status_code, second.status_code) == (303, 429)


@pytest.mark.django_db
def test_behind_one_proxy_each_reader_has_their_own_rate_limit(client, demo, settings) -> None:
    settings.HODIE_COMMENT_MODERATION = "never"
    settings.HODIE_TRUSTED_PROXIES = "1"
    anna = post(client, ARTICLE, addr="10.0.0.2", forwarded="198.51.100.1")
    boris = post(client, ARTICLE, addr="10.0.0.2", name="Boris", body="Mine", forwarded="198.51.100.2")
    anna_again = post(client, ARTICLE, addr="10.0.0.2", body="Again", forwarded="6.6.6.6, 198.51.100.1")
    assert (anna.status_code, boris.status_code, anna_again.status_code) == (303, 303, 429)


@pytest.mark.django_db
def test_the_spam_service_is_told_the_readers_address(client, service, settings) -> None:  # noqa: F811
    settings.HODIE_TRUSTED_PROXIES = "10.0.0.0/8"
    assert post(client, ARTICLE, addr="10.0.0.2", forwarded="198.51.100.9").status_code == 303
    (call,) = service
    assert call["user_ip"] == "198.51.100.9"
