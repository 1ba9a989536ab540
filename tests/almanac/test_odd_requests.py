"""Requests from the attack report's "Low" list that answered 500: each now gets a 4xx or a redirect."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/russia/february-²/", "/russia/february-①/", "/russia/february-٢٠/", "/russia/february-２０/"],
    ids=["superscript", "circled", "arabic-indic", "fullwidth"],
)
def test_a_day_in_other_digits_is_not_found(client, demo, url) -> None:
    """str.isdigit() takes '²' (then int() fails: 500) and '٢٠' (an alias page of february-20)."""
    assert client.get(url).status_code == 404


def test_the_widget_refuses_a_date_in_other_digits(client, demo) -> None:
    response = client.get("/widget/russia/", {"date": "02-²"})
    assert response.status_code == 400 and "is not a day" in response.content.decode()


def test_the_date_order_form_with_a_next_that_is_no_url_name(client, demo) -> None:
    response = client.post("/about/dates/order/", {"order": "os", "next": "foo"})
    assert response.status_code == 302
    assert response.cookies["hodie_dates"].value == "os"


def test_the_admins_date_preview_with_a_collection_that_is_no_number(admin_client, demo) -> None:
    response = admin_client.get("/admin/almanac/entry/read-date/", {"collection": "abc", "text": "20 February 1939"})
    assert response.status_code == 200
    assert response.json()
