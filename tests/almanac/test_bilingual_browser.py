"""One day page, two readers: a Russian reader and an English reader on February 20, each in their
own language, and each text not yet translated shown in its own language, marked with its ``lang``
and a visible note. In Debian's chromium; the screenshots are kept in docs/screenshots/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DAY = "/russia/february-20/"


def _reader(browser, locale: str):
    """A browser context whose reader asks for ``locale`` first (their browser's language)."""
    context = browser.new_context(locale=locale, viewport={"width": 1000, "height": 1000})
    return context.new_page()


def test_a_russian_reader_and_an_english_reader_on_the_same_day_page(browser, site) -> None:
    russian = _reader(browser, "ru-RU")
    assert russian.goto(f"{site}{DAY}").status == 200
    assert russian.locator("html").get_attribute("lang") == "ru"
    assert russian.locator("h1").inner_text() == "20 февраля: история России"
    assert russian.title() == "20 февраля: история России — Hodie"
    # The translated entry is in Russian, with no lang of its own (the page's is right).
    kosenko = russian.locator("li.entry", has_text="Косенко")
    assert kosenko.locator("a.p-name").inner_text() == "Георгий Николаевич Косенко (он же Кислов), разведчик НКВД"
    assert kosenko.locator("a.p-name").get_attribute("lang") is None
    assert kosenko.locator(".untranslated").count() == 0
    # The entry not yet translated: in English, marked lang="en", and the note says so in Russian.
    mir = russian.locator("li.entry", has_text="Mir core module launched")
    assert mir.locator("a.p-name").get_attribute("lang") == "en"
    assert mir.locator(".untranslated").inner_text() == "(только по-английски)"
    assert mir.locator(".untranslated").is_visible()
    # The English-only article is marked the same way; the chrome around it is Russian.
    article = russian.locator("article.excerpt")
    assert article.locator("h2 a").get_attribute("lang") == "en"
    assert article.locator(".untranslated").first.inner_text() == "(только по-английски)"
    assert russian.get_by_role("link", name="следующий день →").is_visible()
    assert russian.locator("section.kind-events h2").inner_text() == "События"
    shot = shoot(russian, "february-20-russian-reader")

    english = _reader(browser, "en-GB")
    assert english.goto(f"{site}{DAY}").status == 200
    assert english.locator("html").get_attribute("lang") == "en"
    assert english.locator("h1").inner_text() == "February 20 in Russian history"
    kosenko = english.locator("li.entry", has_text="Kosenko")
    assert kosenko.locator("a.p-name").inner_text() == "Georgy Nikolayevich Kosenko (aka Kislov), NKVD spy"
    assert kosenko.locator(".untranslated").count() == 0
    # The entry written in Russian and not translated: in Russian, lang="ru", noted in English.
    karabakh = english.locator("li.entry", has_text="Карабах")
    assert karabakh.locator("a.p-name").get_attribute("lang") == "ru"
    assert karabakh.locator(".untranslated").inner_text() == "(only in Russian)"
    assert english.locator("article.excerpt .untranslated").count() == 0
    assert english.get_by_role("link", name="next day →").is_visible()
    other = shoot(english, "february-20-english-reader")

    for path in (shot, other):
        assert path.stat().st_size > 10_000
        SCREENSHOTS.mkdir(exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / path.name)
