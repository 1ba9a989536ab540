"""In chromium: a search in one spelling finds a name written in another, with the note saying
which spelling matched, and an entry page lists what is possibly related, with reasons.
Screenshots go to test-artifacts/ (copies in docs/screenshots/ for docs/search.md)."""

from __future__ import annotations

import pytest

from tests.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_latin_spelling_finds_the_cyrillic_name_and_says_so(browser, site) -> None:
    from hodie.almanac.models import Entry, Person

    person = Person.objects.create(name="Георгий Николаевич Косенко", slug="kosenko-ru")
    person.entries.add(Entry.objects.get(source_id="demo-ru-kosenko"))
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(f"{site}/search/?q=Kossenko")
    hit = page.locator("li.hit-person", has_text="Георгий Николаевич Косенко")
    assert hit.locator(".also").inner_text() == "— also written Georgy Nikolayevich Kosenko"
    assert page.locator("li.hit-entry", has_text="NKVD spy").count() == 1
    shoot(page, "search-any-spelling")


def test_an_entry_page_lists_what_is_possibly_related(browser, site) -> None:
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(f"{site}/entries/1939-georgy-nikolayevich-kosenko-aka-kislov-nkvd-spy/")
    items = page.locator("section.related li")
    assert items.count() == 5
    assert items.first.inner_text().endswith("also tagged nkvd, great-purge")
    section = page.locator("section.related")
    section.scroll_into_view_if_needed()
    shoot(page, "related-kosenko")
