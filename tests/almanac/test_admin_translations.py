"""Translations edited in the admin as ordinary fields, one per language other than the original
(issue 16 §1), held to the original field's rules: its length, and no control characters."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def change_tag(editor, tag, **fields):
    data = {"name": tag.name, "slug": tag.slug, "language": tag.language, **fields}
    return editor.post(f"/admin/almanac/tag/{tag.pk}/change/", data)


def test_the_form_shows_a_field_per_other_language_not_the_json(editor, demo) -> None:
    from hodie.almanac.models import Tag

    tag = Tag.objects.get(slug="nkvd")
    html = editor.get(f"/admin/almanac/tag/{tag.pk}/change/").content.decode()
    assert '<label for="id_name_ru">Name in Russian:</label>' in html
    assert 'name="name_ru" value="нквд"' in html
    assert 'name="name_en"' not in html  # the tag is written in English
    assert 'name="translations"' not in html
    entry = editor.get("/admin/almanac/entry/add/").content.decode()
    for name in ("title_ru", "summary_ru", "body_ru", "title_en", "summary_en", "body_en"):  # language not chosen yet
        assert f'name="{name}"' in entry


def test_posting_the_form_stores_the_translation(editor, demo) -> None:
    from hodie.almanac.models import Tag

    tag = Tag.objects.get(slug="nkvd")
    response = change_tag(editor, tag, name_ru="  НКВД СССР ")
    assert response.status_code == 302, response.content.decode()[:2000]
    tag.refresh_from_db()
    assert tag.translations == {"ru": {"name": "НКВД СССР"}}
    assert change_tag(editor, tag, name_ru="").status_code == 302  # emptied: the translation goes
    tag.refresh_from_db()
    assert tag.translations == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("НК\x07ВД", "This text holds the control character U+0007 at character 3: remove it."),
        ("НК\x85ВД", "This text holds the control character U+0085 at character 3: remove it."),
        ("ы" * 101, "Ensure this value has at most 100 characters (it has 101)."),  # a tag's name is 100 at most
    ],
    ids=["bell", "c1-control", "too-long"],
)
def test_a_bad_translation_is_refused_with_a_message(editor, demo, value, message) -> None:
    from hodie.almanac.models import Tag

    tag = Tag.objects.get(slug="nkvd")
    response = change_tag(editor, tag, name_ru=value)
    assert response.status_code == 200
    assert message in response.content.decode()
    tag.refresh_from_db()
    assert tag.translations == {"ru": {"name": "нквд"}}  # nothing stored


def add_entry(editor, collection, **fields):
    data = {"title": "Battle of Tarutino", "kind": "event", "date_text": "6 October 1812", "calendar_choice": "",
            "in_collections": [collection.pk], "summary": "", "body": "", "policy": "",
            "sources-TOTAL_FORMS": "0", "sources-INITIAL_FORMS": "0", **fields}  # fmt: skip
    return editor.post("/admin/almanac/entry/add/", data)


def test_an_entry_added_with_its_translation(editor, demo) -> None:
    from hodie.almanac.models import Entry

    response = add_entry(editor, demo, title_ru="Тарутинское сражение", summary_ru="Мюрат разбит.")
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.get(title="Battle of Tarutino")
    assert (entry.language, entry.translations) == ("en", {"ru": {"title": "Тарутинское сражение",
                                                                   "summary": "Мюрат разбит."}})  # fmt: skip
    page = editor.get(entry.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<h1 class="p-name">Тарутинское сражение</h1>' in page
    form = editor.get(f"/admin/almanac/entry/{entry.pk}/change/").content.decode()
    assert 'name="title_ru"' in form and 'name="title_en"' not in form


def test_a_translation_into_the_texts_own_language_is_refused(editor, demo) -> None:
    from hodie.almanac.models import Entry

    response = add_entry(editor, demo, language="ru", title_ru="Тарутинское сражение")
    assert response.status_code == 200
    assert "The text is written in Russian: put this in the title itself" in response.content.decode()
    assert not Entry.objects.filter(title="Battle of Tarutino").exists()


def test_a_control_character_in_an_original_is_refused_too(editor, demo) -> None:
    response = add_entry(editor, demo, title="Battle\x1b of Tarutino")
    assert response.status_code == 200
    refused = "This text holds the control character escape (U+001B) at character 7: remove it."
    assert refused in response.content.decode()
