"""The og:image card of day, entry and article pages: a real 1200×630 PNG (read back by Pillow),
drawn from the page's own text (two pages, two different images)."""

from __future__ import annotations

import io
import itertools
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageChops

from hodie.almanac.models import Article, Entry

pytestmark = pytest.mark.django_db


def og_image(client, path: str) -> str | None:
    soup = BeautifulSoup(client.get(path).content, "html.parser")
    found = soup.find("meta", attrs={"property": "og:image"})
    return found["content"] if found else None


def card(client, path: str) -> Image.Image:
    url = og_image(client, path)
    assert url and url.startswith("http"), path
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


def test_day_entry_and_article_pages_share_a_card_of_their_own(client, demo):
    entries = list(Entry.objects.filter(standard_key__isnull=False)[:2])
    article = Article.objects.published().first()
    images = [
        card(client, "/russia/february-20/"),
        card(client, "/russia/september-7/"),
        card(client, entries[0].get_absolute_url()),
        card(client, entries[1].get_absolute_url()),
        card(client, article.get_absolute_url()),
    ]
    assert all(i.size == (1200, 630) and i.format == "PNG" for i in images)
    for a, b in itertools.pairwise(images):
        assert ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is not None
    # Not a blank canvas: ink covers a real part of it.
    colours = images[2].convert("L").getcolors(maxcolors=1_000_000)
    assert len(colours) > 20


def test_the_card_check_fails_on_a_page_without_og_image(client, demo):
    """Proof the check can fail: a page with no og:image (search; before, every page) is rejected."""
    with pytest.raises(AssertionError):
        card(client, "/search/?q=Borodino")
