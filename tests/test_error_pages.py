"""404 and 500 are Hodie pages in the reader's language: a missing day offers the picker, a missing
entry offers a search for the words of its address, and a failure says it was not the reader's doing."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Page not found"), ("ru", "Страница не найдена")], ids=["en", "ru"]
)
def test_a_missing_day_offers_the_picker(client, demo, language, heading) -> None:
    response = client.get("/russia/february-31/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in page and 'class="masthead"' in page
    assert re.search(r'<form class="picker" action="/go/".*?name="collection" value="russia"', page, re.S)
    assert f'<html lang="{language}">' in page


def test_a_missing_entry_offers_a_search_for_its_words(client, demo) -> None:
    response = client.get("/entries/kosenko-nkvd-spy-1939/")
    page = response.content.decode()
    assert response.status_code == 404
    assert '<input id="nf-q" name="q" type="search" value="kosenko nkvd spy 1939">' in page
    assert 'class="picker"' not in page


def test_an_address_nothing_answers_offers_both(client, demo) -> None:
    page = client.get("/no/such/place/at/all/").content.decode()
    assert 'class="picker"' in page and 'id="nf-q"' in page


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Something went wrong"), ("ru", "Что-то пошло не так")], ids=["en", "ru"]
)
def test_a_failure_is_a_hodie_page(client, demo, monkeypatch, language, heading) -> None:
    from hodie.almanac import days

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(days, "build_day", broken)
    client.raise_request_exception = False
    response = client.get("/russia/february-20/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 500
    assert f"<h1>{heading}</h1>" in page and 'class="masthead"' in page
    assert "the database went away" not in page and "Traceback" not in page


def test_the_heading_check_rejects_djangos_bare_page() -> None:
    """Django's own 404 body, which these tests replaced, fails the checks above."""
    bare = '<!doctype html><html lang="en"><head><title>Not Found</title></head><body><h1>Not Found</h1></body>'
    assert "<h1>Page not found</h1>" not in bare and 'class="masthead"' not in bare
