"""The admin: the date preview, and an entry typed with a Julian date landing on its New Style day."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_read_date_preview(editor, demo) -> None:
    """The form shows, before saving, both calendars and the day page under the collection's policy."""
    data = editor.get("/admin/almanac/entry/read-date/", {"text": "26 августа 1812", "collection": demo.pk}).json()
    assert data["ok"] is True
    assert (data["edtf"], data["calendar"]) == ("1812-08-26", "julian")
    assert data["display_en"] == "7 September [O.S. 26 August] 1812"
    assert data["display_ru"] == "26 августа (7 сентября) 1812"
    assert data["day"] == "September 7" and data["julian_day"] == "August 26"
    bad = editor.get("/admin/almanac/entry/read-date/", {"text": "5 February 1918", "collection": demo.pk}).json()
    assert bad["ok"] is False and "skipped in Russia" in bad["error"]


def test_read_date_needs_staff(client, demo) -> None:
    response = client.get("/admin/almanac/entry/read-date/", {"text": "1812"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def add_entry(editor, collection, title: str, date_text: str):
    """Submit the admin's "add entry" form as an editor would, with no sources."""
    return editor.post(
        "/admin/almanac/entry/add/",
        {
            "title": title,
            "kind": "event",
            "date_text": date_text,
            "calendar_choice": "",
            "in_collections": [collection.pk],
            "summary": "",
            "body": "",
            "policy": "",
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
        },
    )


def test_add_entry_with_julian_date(editor, demo) -> None:
    from hodie.almanac.models import Entry

    response = add_entry(editor, demo, "Battle of Tarutino", "6 October 1812")
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.get(title="Battle of Tarutino")
    assert (entry.edtf, entry.calendar, entry.standard_key) == ("1812-10-06", "julian", 1018)
    assert entry.language == demo.language  # none chosen: the collection's
    page = editor.get("/russia/october-18/").content.decode()
    assert "Battle of Tarutino" in page and "18 October [O.S. 6 October] 1812" in page


def test_add_entry_with_bad_date_shows_the_error(editor, demo) -> None:
    from hodie.almanac.models import Entry

    response = add_entry(editor, demo, "Nonsense", "31 February 1939")
    assert response.status_code == 200
    assert "has 28 days" in response.content.decode()
    assert not Entry.objects.filter(title="Nonsense").exists()


def test_admin_lists_render(editor, demo) -> None:
    for app, model in [("almanac", "entry"), ("almanac", "collection"), ("almanac", "person"), ("almanac", "article"),
                       ("social", "partner"), ("almanac", "tag"), ("almanac", "place"), ("social", "author"),
                       ("social", "comment")]:  # fmt: skip
        assert editor.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    from hodie.almanac.models import Entry

    entry = Entry.objects.get(title="Battle of Borodino")
    html = editor.get(f"/admin/almanac/entry/{entry.pk}/change/").content.decode()
    assert "7 September [O.S. 26 August] 1812" in html
