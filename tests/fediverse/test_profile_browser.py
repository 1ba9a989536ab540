"""The account's profile page in chromium: name, handle, bio, icon, the link to the site and the
day's post, with no serious accessibility violation (axe-core). Its screenshot is the one in
docs/screenshots/fediverse-profile.png."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import shoot
from tests.test_reading_browser import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_profile_page(browser, site, settings) -> None:
    from hodie.almanac.models import Collection
    from hodie.fediverse.models import Follower, RemoteActor
    from hodie.fediverse.posting import get_actor, post_day

    settings.SITE_URL = site
    russia = Collection.objects.get(slug="russia")
    actor = get_actor(russia)
    remote = RemoteActor.objects.create(
        uri="https://mastodon.example/users/alice", key_id="https://mastodon.example/users/alice#main-key",
        public_key_pem="-", inbox="https://mastodon.example/users/alice/inbox", username="alice",
    )  # fmt: skip
    Follower.objects.create(actor=actor, remote=remote, follow_id="https://mastodon.example/follows/1")
    assert post_day(actor, dt.date(2026, 2, 20)) is not None
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    response = page.goto(f"{site}/@russia")
    assert response is not None and response.status == 200
    host = site.split("://")[1]
    assert page.locator(".fedi-handle").inner_text() == f"@russia@{host}"
    assert page.locator("h1").inner_text() == russia.title
    assert "1 follower" in page.locator(".stats").inner_text()
    assert page.locator(".fedi-icon").evaluate("img => img.naturalWidth") == 128  # the PNG loaded
    assert page.locator(".fedi-posts li").count() == 1
    assert page.locator(".fedi-posts a[href$='/russia/february-20/']").count() == 1
    assert serious(page) == []
    shoot(page, "fediverse-profile")
