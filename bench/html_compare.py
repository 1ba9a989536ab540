"""The demo's public pages, normalised, saved to a directory or compared with one saved earlier:
a change to the render path must leave every page's bytes as they were.

``python bench/html_compare.py save DIR [--api]`` (before a change), ``... compare DIR [--api]``
(after; each page is read twice, the second time from what the first stored; ``--api`` adds the
Wikimedia-shaped day document of every day of every collection, in English and in Russian): prints
each page that differs with a unified diff, exits 1 when any does. Normalised: the per-request
CSRF token, the comment form's signed token (which carries the time), an .ics file's DTSTAMP
and a feed's times (when the demo was loaded) are blanked.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TOKENS = [
    re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'),
    re.compile(r'(name="token" value=")[^"]*'),
    re.compile(r"(DTSTAMP:)\w+"),  # an .ics file's time of writing
    re.compile(r"(<(?:published|updated)>)[^<]*"),  # a feed's times: when the demo was loaded
    re.compile(r'("revision": ")\d+'),  # the API's page summaries: the same, as Wikimedia's fields
    re.compile(r'("timestamp": ")[^"]*'),
]


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n")  # saved and read back as text: an .ics file's CRLF
    for pattern in TOKENS:
        text = pattern.sub(r"\1…", text)
    return text


def pages() -> list[str]:
    from hodie.almanac.days import ALL_DAYS, day_slug
    from hodie.almanac.models import Article, Collection, Entry, Person, Place, Tag

    paths = ["/", "/about/dates/", "/search/?q=Kosenko", "/search/?q=1917", "/sitemap.xml", "/robots.txt"]
    for c in Collection.objects.order_by("pk"):
        paths += [f"/{c.slug}/", f"/widget/{c.slug}/?date=02-20", f"/{c.slug}/feed.atom", f"/{c.slug}.ics"]
        paths += [f"/{c.slug}/{day_slug(m, d)}/" for m, d in ALL_DAYS]
        paths += [f"/{c.slug}/february-20/?calendar={choice}" for choice in ("standard", "julian", "observance")]
        paths += [f"/api/rest_v1/feed/onthisday/all/{m:02d}/{d:02d}?collection={c.slug}" for m, d in ALL_DAYS[::7]]
        if "--api" in sys.argv:  # the Wikimedia-shaped document of every day, in both languages
            paths += [
                f"/api/rest_v1/feed/onthisday/all/{m:02d}/{d:02d}?collection={c.slug}&lang=en" for m, d in ALL_DAYS
            ]
            paths += [f"/feed/v1/wikipedia/ru/onthisday/all/{m}/{d}?collection={c.slug}" for m, d in ALL_DAYS]
    for model in (Entry, Person, Place, Tag):
        paths += [obj.get_absolute_url() for obj in model.objects.order_by("pk")]
    paths += [a.get_absolute_url() for a in Article.objects.published().order_by("pk")]
    return paths


def main() -> None:
    action, folder = sys.argv[1], Path(sys.argv[2])
    os.environ.setdefault("HODIE_HOME", tempfile.mkdtemp(prefix="hodie-html-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hodie.site.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from hodie.demo import load_demo

    call_command("migrate", verbosity=0)
    load_demo()
    setup_test_environment()  # the test client's host, testserver, is allowed
    client = Client()
    folder.mkdir(parents=True, exist_ok=True)
    differ = 0
    # Each page twice in a row: the second read is served from what the first stored (the day
    # page's entry lines, hodie/almanac/lines.py), and both must be the saved bytes.
    for path in [path for path in pages() for _ in (1, 2)]:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        text = f"{response.status_code}\n" + normalise(body.decode())
        name = re.sub(r"[^\w.-]+", "_", path) or "_"
        saved = folder / f"{name}.html"
        if action == "save":
            saved.write_text(text, encoding="utf-8")
        elif normalise(saved.read_text(encoding="utf-8")) != text:
            differ += 1
            old = normalise(saved.read_text(encoding="utf-8")).splitlines()
            print(f"== {path} differs")
            print(
                "\n".join(
                    line[:300] for line in list(difflib.unified_diff(old, text.splitlines(), lineterm="", n=1))[:40]
                )
            )
    print(f"{len(pages())} pages, each read twice, {'saved' if action == 'save' else 'compared'}; {differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
