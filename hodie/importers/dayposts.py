"""Day posts: a blog post about a day of the year ("February 20 in Russian history") told as a
list of events ("1939: Georgy Kosenko, NKVD spy" and a paragraph about him).

Pure text parsing, shared by the Blogger, WXR and feed readers (see :func:`day_posts`): the title
names the day, each event line gives a year, and the text up to the next event line is the
event's. No library reads this convention; the block split uses the standard library's HTML
parser, and the month names are the date core's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from hodie.dates import HodieError, check_month_day
from hodie.dates.names import EN_MONTHS, MONTH_WORDS

from .html import excerpt_of, html_to_text

# A month word: English, abbreviated with or without a dot, or Russian in any form the date core knows.
_MONTH = r"(?P<month>[A-Za-zА-Яа-яЁё]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_PREFIX = r"(?:(?:on\s+this\s+day|this\s+day\s+in\s+history|today\s+in\s+history|в\s+этот\s+день)\s*[:,—–-]?\s*)?"
# What may follow the day: nothing, or words about the day ("in Russian history", "в истории
# России", ": what happened"), never a year ("February 20, 1939" is one event, not a day post).
_TAIL = r"(?:\s*$|\s*[:—–-]\s*\D.*$|\s+(?:in|в|во|of|at)\s+\D.*$)"
_TITLES = (
    re.compile(rf"^\s*{_PREFIX}{_MONTH}\s+{_DAY}{_TAIL}", re.IGNORECASE),
    re.compile(rf"^\s*{_PREFIX}{_DAY}\s+(?:of\s+)?{_MONTH}{_TAIL}", re.IGNORECASE),
)

# "1939: title", "44 BC – title", "1700 год — title", "1812. Title" (a dot only after 3-4 digits,
# so that a numbered list "1. First" is not read as the year 1).
_ERA = r"(?P<bc>BCE|BC|B\.C\.(?:E\.)?|до\s+н\.\s*э\.)"
_EVENT = re.compile(
    rf"^\s*(?P<year>\d{{1,4}})(?:\s*{_ERA})?(?:\s+(?:год|г\.))?"
    r"(?:\s*[:—–]\s*|\s+-\s+|(?<=\d{3})\.\s+|(?<=\d{4})\.\s+)(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
# A heading or bold line that is only a year: the title is the first sentence of the text after it.
_BARE_YEAR = re.compile(rf"^\s*(?P<year>\d{{1,4}})(?:\s*{_ERA})?(?:\s+(?:год|г\.))?\s*[:.]?\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[^\s.]{3}[.!?])\s+(?=[A-ZА-ЯЁ0-9«\"“])")
SUMMARY_LIMIT = 500


def day_of_title(title: str) -> tuple[int, int] | None:
    """(month, day) when ``title`` names a day of the year and nothing more; else None."""
    for pattern in _TITLES:
        match = pattern.match(title or "")
        if match is None:
            continue
        month = MONTH_WORDS.get(match["month"].lower())
        if month is None:
            continue
        day = int(match["day"])
        try:
            check_month_day(month, day)
        except HodieError:
            return None
        return month, day
    return None


@dataclass(frozen=True)
class Event:
    """One event of a day post: its year (negative: BC, so 44 BC is -44), title and text."""

    year: int
    title: str
    text: str = ""

    def date_text(self, month: int, day: int) -> str:
        era = f"{-self.year} BC" if self.year < 0 else str(self.year)
        return f"{day} {EN_MONTHS[month - 1]} {era}"


_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dt", "dd", "tr", "pre"}
_BOLD = {"b", "strong"}


class _Blocks(HTMLParser):
    """The visible text of each block of a post, in order, with whether the block opens in bold.

    ``<br>`` ends a block too: Blogger posts separate their events with line breaks, not paragraphs.
    The text of a ``<figure>`` (an image's caption, a ``[gallery]``'s captions) belongs to its
    picture: it is neither the introduction nor an event's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, bool, bool]] = []  # (text, opens in bold, is a heading or list item)
        self._text: list[str] = []
        self._bold_depth = 0
        self._opens_bold = False
        self._marked = False
        self._figure_depth = 0

    def _end(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._text)).strip()
        if text:
            self.blocks.append((text, self._opens_bold, self._marked))
        self._text, self._opens_bold, self._marked = [], False, False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "figure":
            self._end()
            self._figure_depth += 1
        if tag in _BLOCKS or tag == "br":
            self._end()
            self._marked = tag in ("li", "dt") or tag.startswith("h")
        if tag in _BOLD:
            self._bold_depth += 1
            if not "".join(self._text).strip():
                self._opens_bold = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._figure_depth = max(0, self._figure_depth - 1)
            self._text = []
        if tag in _BOLD:
            self._bold_depth = max(0, self._bold_depth - 1)
        if tag in _BLOCKS:
            self._end()

    def handle_data(self, data: str) -> None:
        if not self._figure_depth:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        self._end()


def _year(match: re.Match[str]) -> int | None:
    year = int(match["year"])
    if year == 0:
        return None
    return -year if match["bc"] else year


def _split_title(rest: str) -> tuple[str, str]:
    """A long event line's title (its first sentence) and the rest of its text."""
    parts = _SENTENCE_END.split(rest.strip(), maxsplit=1)
    if len(parts) == 2 and len(parts[0]) <= 200:
        return parts[0].rstrip("."), parts[1]
    return rest.strip().rstrip("."), ""


def events_of(body: str) -> tuple[str, list[Event]]:
    """The introduction of a day post (its text before the first event) and its events, in order."""
    parser = _Blocks()
    parser.feed(body or "")
    parser.close()
    intro: list[str] = []
    events: list[tuple[int, str, list[str]]] = []
    pending_year: int | None = None
    for text, bold, marked in parser.blocks:
        bare = _BARE_YEAR.match(text)
        if bare and (bold or marked) and (year := _year(bare)) is not None:
            pending_year = year
            continue
        match = _EVENT.match(text)
        year = _year(match) if match else None
        if match and year is not None:
            title, rest = _split_title(match["rest"])
            events.append((year, title, [rest] if rest else []))
            pending_year = None
        elif pending_year is not None:
            title, rest = _split_title(text)
            events.append((pending_year, title, [rest] if rest else []))
            pending_year = None
        elif events:
            events[-1][2].append(text)
        else:
            intro.append(text)
    found = [Event(year, title[:300], _summary(texts)) for year, title, texts in events if title]
    return "\n".join(intro), found


def _summary(texts: list[str]) -> str:
    text = " ".join(texts).strip()
    if len(text) <= SUMMARY_LIMIT:
        return text
    cut = text.rfind(". ", 0, SUMMARY_LIMIT)
    return text[: cut + 1] if cut > 0 else text[:SUMMARY_LIMIT].rstrip() + "…"


def excerpt_for(body: str, intro: str) -> str:
    """The excerpt a day post shows on its day page: its introduction, else its first paragraphs."""
    if intro.strip():
        return "".join(f"<p>{escape(line)}</p>" for line in intro.splitlines() if line.strip())
    return excerpt_of(body) if html_to_text(body) else ""
