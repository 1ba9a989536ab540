"""The sharing card (``og:image``) of a day, an entry or an article: a 1200×630 PNG drawn with
Pillow from the page's own words (its title, its date line, its collection), so a link shared on a
social site shows what the page is about, not a logo.

Drawn here rather than by a headless browser: one image is ~20 ms of Pillow and no process to start.
The face is DejaVu Serif where the system has it (Latin and Cyrillic), else Pillow's own font.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from PIL import Image, ImageDraw, ImageFont

from hodie.dates import HodieError

from . import days
from .models import Article, Collection, Entry
from .web import public

SIZE = (1200, 630)
PAPER, INK, ACCENT, MUTED = "#faf7f0", "#1d1b16", "#8a2b1d", "#5f5a4f"
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


@functools.cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    name = "DejaVuSerif-Bold.ttf" if bold else "DejaVuSerif.ttf"
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size=size)


def _wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> list[str]:
    """Lines of whole words no wider than ``width`` pixels in ``font`` (a longer word stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def draw_card(kicker: str, title: str, line: str, footer: str) -> bytes:
    """The PNG: a kicker (the day or kind), the title wrapped to at most four lines, a date or
    summary line, and the collection and site at the foot."""
    image = Image.new("RGB", SIZE, PAPER)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 0, 18, SIZE[1]), fill=ACCENT)
    x, y = 80, 70
    pen.text((x, y), kicker.upper(), font=_font(30, bold=True), fill=ACCENT)
    y += 70
    size = 64 if len(title) < 60 else 52
    lines = _wrap(title, _font(size, bold=True), SIZE[0] - x - 80) or [""]
    if len(lines) > 4:
        lines = [*lines[:3], lines[3].rstrip(" ,.;:") + "…"]
    for text in lines[:4]:
        pen.text((x, y), text, font=_font(size, bold=True), fill=INK)
        y += int(size * 1.25)
    if line:
        y += 20
        for text in _wrap(line, _font(34), SIZE[0] - x - 80)[:2]:
            pen.text((x, y), text, font=_font(34), fill=MUTED)
            y += 46
    pen.line((x, SIZE[1] - 110, SIZE[0] - 80, SIZE[1] - 110), fill=MUTED, width=2)
    pen.text((x, SIZE[1] - 90), footer, font=_font(30), fill=MUTED)
    pen.text((SIZE[0] - 80, SIZE[1] - 90), "Hodie", font=_font(30, bold=True), fill=ACCENT, anchor="ra")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _png(body: bytes) -> HttpResponse:
    return public(HttpResponse(body, content_type="image/png"), 86400)


@require_safe
def entry_card(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(Entry.objects.prefetch_related("collections"), slug=slug)
    home = entry.collections.first()
    language = home.language if home else "en"
    return _png(draw_card(entry.get_kind_display(), entry.title, entry.display_date(language),
                          home.title if home else ""))  # fmt: skip


@require_safe
def article_card(request: HttpRequest, slug: str) -> HttpResponse:
    from .markup import plain_text

    article = get_object_or_404(Article.objects.published().prefetch_related("authors"), slug=slug)
    authors = ", ".join(a.name for a in article.authors.all())
    return _png(draw_card("Article", article.title, plain_text(article.excerpt, article.markup)[:140], authors))


@require_safe
def day_card(request: HttpRequest, collection: str, day_slug: str) -> HttpResponse:
    found = get_object_or_404(Collection, slug=collection)
    try:
        month, number = days.parse_day_slug(day_slug)
    except HodieError as err:
        raise Http404(str(err)) from err
    page = days.build_day(found, month, number)
    first = next((e for e in page.entries if e.display_year), None)
    line = f"{first.display_year}: {first.title}" if first else ""
    count = len(page.entries)
    return _png(draw_card(page.heading, page.title, line, f"{count} {'entry' if count == 1 else 'entries'}"))
