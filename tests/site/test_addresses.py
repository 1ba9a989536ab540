"""hodie/site/addresses.py: reverse() remembered, and never an address for another script prefix."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from hodie.site.addresses import address


def test_an_address_is_the_one_reverse_gives():
    assert address("almanac:entry", ["kosenko"]) == "/entries/kosenko/"
    assert address("almanac:day", kwargs={"collection": "russia", "day_slug": "february-20"}) == "/russia/february-20/"
    assert address("almanac:about-dates") == reverse("almanac:about-dates") == "/about/dates/"


def test_a_site_under_a_script_prefix_gets_its_own_addresses():
    """The same name and slug under /hodie/ (a site mounted below the root) and at the root again:
    the prefix is part of what is remembered."""
    assert address("almanac:entry", ["kosenko"]) == "/entries/kosenko/"
    set_script_prefix("/hodie/")
    try:
        assert address("almanac:entry", ["kosenko"]) == "/hodie/entries/kosenko/"
    finally:
        set_script_prefix("/")
    assert address("almanac:entry", ["kosenko"]) == "/entries/kosenko/"


def test_a_changed_urlconf_is_not_answered_from_memory(settings):
    assert address("almanac:about-dates") == "/about/dates/"
    settings.ROOT_URLCONF = "tests.site.moved_urls"
    assert address("almanac:about-dates") == "/moved/about/dates/"


@pytest.fixture(autouse=True)
def _root_prefix():
    set_script_prefix("/")


def test_a_stylesheet_address_follows_the_static_storage(db, client, settings):
    """Templates remember static() per storage (hodie/site/jinja.py): with the hashed storage the
    page names site.<hash>.css; with the plain one, configured in the same process, site.css."""
    import re

    from hodie.site import caching

    hashed = re.search(r'href="(/static/hodie/site[^"]*\.css)"', client.get("/about/dates/").content.decode())
    assert hashed and re.fullmatch(r"/static/hodie/site\.[0-9a-f]{12}\.css", hashed.group(1)), hashed
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    caching.bump()  # the page cache would answer with the first page
    plain = re.search(r'href="(/static/hodie/site[^"]*\.css)"', client.get("/about/dates/").content.decode())
    assert plain and plain.group(1) == "/static/hodie/site.css"


def test_a_filler_gives_what_reverse_gives_for_each_value():
    """addresses.filler: one reverse() for many links differing in one argument, wherever it is."""
    from hodie.site.addresses import filler

    other_collection = filler("almanac:day", [None, "february-20"], 0)
    day_of_russia = filler("almanac:day", ["russia", None], 1)
    entry = filler("almanac:entry", [None], 0)
    for slug in ("russia", "france-1789", "a"):
        assert other_collection(slug) == reverse("almanac:day", args=[slug, "february-20"])
        assert entry(slug) == reverse("almanac:entry", args=[slug])
    for day in ("january-1", "february-29", "december-31"):
        assert day_of_russia(day) == reverse("almanac:day", args=["russia", day])
    set_script_prefix("/hodie/")
    try:
        assert filler("almanac:entry", [None], 0)("kosenko") == "/hodie/entries/kosenko/"
    finally:
        set_script_prefix("/")
