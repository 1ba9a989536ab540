"""BSD ``calendar(1)`` files, as shipped by Debian's ``calendar`` package, FreeBSD and macOS.

Written by hand: no kept Python library reads this format. What it understands:

- ``MM/DD``, ``Mon DD`` and ``DD Mon`` dates, TAB, then the text; a line that starts with a TAB
  continues the one before;
- month names in English always, and in the language a ``LANG=`` line sets (``27 янв.``);
- ``#include <file>`` / ``"file"``, looked up beside the including file and then in the folder of
  the first file (where Debian's ``/usr/share/calendar`` layout puts ``ru_RU/...``); each file is
  read once; ``#ifndef``/``#define``/``#endif`` guards and C comments;
- a trailing ``, 1962`` or ``(1242 год)`` is the year; with none, the entry's year is unknown
  (EDTF ``XXXX-MM-DD``) and it is listed on its day without one;
- every dated line is an observance: filed on the day the file gives, whatever the collection's
  anniversary policy;
- moving holidays (``Easter-2``, ``Пасха+39`` after ``Paskha=Пасха``, ``03/SunSecond``,
  ``May Sun+2``) become :class:`HolidayRuleRecord` values, computed per year.

Lines the format allows but Hodie cannot file honestly are skipped and counted with their
``FILE:LINE``: ``MM/DD*`` (a date that moves, given for one year only), a bare day number (shown
every month by ``calendar``), and astronomical rules (``ChineseNewYear``, ``FullMoon``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from hodie.dates import HodieError
from hodie.dates.names import EN_MONTHS
from hodie.dates.recurring import parse_rule

from .records import EntryRecord, HolidayRuleRecord, ImportProblem, Item, Skipped, record_or_problem

# Month stems per language; the longest stem that starts the word wins.
MONTH_STEMS: dict[str, dict[str, int]] = {
    "ru": {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7, "авг": 8,
           "сен": 9, "окт": 10, "ноя": 11, "дек": 12},
    "uk": {"січ": 1, "лют": 2, "бер": 3, "кві": 4, "тра": 5, "чер": 6, "лип": 7, "сер": 8, "вер": 9,
           "жов": 10, "лис": 11, "гру": 12},
    "de": {"jan": 1, "feb": 2, "mär": 3, "mae": 3, "apr": 4, "mai": 5, "jun": 6, "jul": 7, "aug": 8,
           "sep": 9, "okt": 10, "nov": 11, "dez": 12},
    "fr": {"janv": 1, "févr": 2, "fevr": 2, "mars": 3, "avr": 4, "mai": 5, "juin": 6, "juil": 7, "août": 8,
           "aout": 8, "sept": 9, "oct": 10, "nov": 11, "déc": 12, "dec": 12},
    "nl": {"jan": 1, "feb": 2, "maa": 3, "mrt": 3, "apr": 4, "mei": 5, "jun": 6, "jul": 7, "aug": 8,
           "sep": 9, "okt": 10, "nov": 11, "dec": 12},
}  # fmt: skip
_EN = {name[:3].lower(): number for number, name in enumerate(EN_MONTHS, start=1)}

_YEAR_TAIL = re.compile(r"(?:,\s*(?P<a>\d{3,4})|\(\s*(?P<b>\d{3,4})\s*(?:год|г\.|рік|р\.)?\s*\))\s*\.?\s*$")
_BIRTH = re.compile(r"\b(born|birthday)\b|родил|народив|\bné\b|\bgeboren\b", re.IGNORECASE)
_DEATH = re.compile(r"\b(dies|died|death of)\b|умер|скончал|помер|\bgestorben\b", re.IGNORECASE)
# Where calendar(1) itself looks for included files: Debian, FreeBSD and macOS, and a local one.
SYSTEM_FOLDERS = tuple(Path(p) for p in ("/usr/share/calendar", "/usr/local/share/calendar"))
_INCLUDE = re.compile(r'^#\s*include\s*[<"](?P<name>[^>"]+)[>"]')
_DIRECTIVE = re.compile(r"^#\s*(?P<word>ifndef|ifdef|define|undef|endif|else)\b\s*(?P<arg>\S*)")
_SETTING = re.compile(r"^(?P<key>[A-Za-z_]+|[^\s=\t]+)=(?P<value>[^\t]*)$")
_MMDD = re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})(?P<star>\*)?$")
_DAY_MONTH = re.compile(r"^(?P<d>\d{1,2})\s+(?P<name>[^\d\s/]+)$")
_MONTH_DAY = re.compile(r"^(?P<name>[^\d\s/]+)(?:\s+|/)(?P<d>\d{1,2})$")
_SPACED = re.compile(r"^(?P<date>\d{1,2}/\d{1,2}\*?)\s{2,}(?P<text>\S.*)$")
_ASTRONOMICAL = re.compile(r"(?i)newmoon|fullmoon|equinox|solstice|chinesenewyear|advent|^\w+=")


def _month_number(word: str, language: str) -> int | None:
    key = word.lower().rstrip(".")
    # The file's LANG first, then English; a file that says only LANG=utf-8 may use any language.
    others = [] if language in MONTH_STEMS else list(MONTH_STEMS.values())
    for stems in (MONTH_STEMS.get(language, {}), _EN, *others):
        for stem in sorted(stems, key=len, reverse=True):
            if key.startswith(stem):
                return stems[stem]
    return None


def _strip_comments(text: str, in_comment: bool) -> tuple[str, bool]:
    """Remove C comments from one line, carrying an open ``/*`` over to the next."""
    out: list[str] = []
    i = 0
    while i < len(text):
        if in_comment:
            end = text.find("*/", i)
            if end < 0:
                return "".join(out), True
            i, in_comment = end + 2, False
        else:
            start = text.find("/*", i)
            if start < 0:
                out.append(text[i:])
                break
            out.append(text[i:start])
            i, in_comment = start + 2, True
    return "".join(out), in_comment


class _Reader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.read_files: set[Path] = set()
        self.defined: set[str] = set()

    def _locate(self, name: str, including: Path) -> Path | str:
        """The file an ``#include`` names, or why there is none. Only files inside the first file's
        folder or the system calendar folders are read: an import must not read /etc/passwd or
        ../../secret because a calendar file names it (absolute paths, ``..`` and symbolic links are
        judged by where they lead)."""
        allowed = (self.root, *SYSTEM_FOLDERS)
        outside = False
        for folder in (including.parent, self.root, including.parent.parent, *SYSTEM_FOLDERS):
            candidate = (folder / name).resolve()
            if not any(candidate.is_relative_to(root) for root in allowed):
                outside = outside or candidate.exists()
                continue
            if candidate.is_file():
                return candidate
        if outside or Path(name).is_absolute() or ".." in Path(name).parts:
            folders = ", ".join(str(f) for f in (self.root, *SYSTEM_FOLDERS))
            return f"#include {name}: outside the calendar's folder and the system ones ({folders}); not read"
        return f"#include {name}: no such file beside {including.name}"

    def read(self, path: Path, shown: str) -> Iterator[Item]:
        resolved = path.resolve()
        if resolved in self.read_files:
            return
        self.read_files.add(resolved)
        try:
            raw = path.read_bytes()
        except OSError as err:
            raise ImportProblem(shown, f"cannot open: {err.strerror}") from err
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise ImportProblem(shown, f"not UTF-8 text (byte {err.start}); convert it with iconv first") from err
        language = "en"
        aliases: dict[str, str] = {}
        skipping: list[bool] = []  # a stack of #ifndef conditions; True = skip
        in_comment = False
        pending: tuple[int, str, str] | None = None  # line, date field, text so far

        def flush() -> Iterator[Item]:
            nonlocal pending
            if pending is not None:
                line, field, body = pending
                pending = None
                yield from self._item(f"{shown}:{line}", field, body, language, aliases, path.name)

        for number, original in enumerate(text.splitlines(), start=1):
            line, in_comment = _strip_comments(original, in_comment)
            where = f"{shown}:{number}"
            if line.startswith("#"):
                yield from flush()
                if include := _INCLUDE.match(line):
                    if any(skipping):
                        continue
                    target = self._locate(include["name"], path)
                    if isinstance(target, str):
                        yield ImportProblem(where, target)
                        continue
                    yield from self.read(
                        target, str(target.relative_to(self.root) if target.is_relative_to(self.root) else target)
                    )
                elif directive := _DIRECTIVE.match(line):
                    word, arg = directive["word"], directive["arg"]
                    if word == "ifndef":
                        skipping.append(arg in self.defined)
                    elif word == "ifdef":
                        skipping.append(arg not in self.defined)
                    elif word == "else" and skipping:
                        skipping[-1] = not skipping[-1]
                    elif word == "endif" and skipping:
                        skipping.pop()
                    elif word == "define" and not any(skipping):
                        self.defined.add(arg)
                    elif word == "undef":
                        self.defined.discard(arg)
                continue
            if any(skipping):
                continue
            if line.startswith("\t") and pending is not None:
                pending = (pending[0], pending[1], f"{pending[2]} {line.strip()}")
                continue
            yield from flush()
            if not line.strip():
                continue
            if "\t" not in line and (setting := _SETTING.match(line.strip())):
                key, value = setting["key"], setting["value"].strip()
                if key == "LANG":
                    language = value.split("_")[0].split(".")[0].lower() or "en"
                elif key in ("Easter", "Paskha") and value:
                    aliases[value] = key
                elif value in ("Easter", "Paskha"):
                    aliases[key] = value
                continue
            if "\t" in line:
                field, _, body = line.partition("\t")
            elif spaced := _SPACED.match(line):
                # calendar(1) wants a TAB; some shipped files use spaces after an MM/DD date.
                field, body = spaced["date"], spaced["text"]
            else:
                yield Skipped(where, "line", "no TAB between the date and the text")
                continue
            pending = (number, field.strip(), body.strip())
        yield from flush()

    def _item(
        self, where: str, field: str, body: str, language: str, aliases: dict[str, str], name: str
    ) -> Iterator[Item]:
        if not body:
            yield Skipped(where, "line", "a date with no text")
            return
        identity = hashlib.sha1(f"{name}\x1f{field}\x1f{body}".encode()).hexdigest()[:20]  # noqa: S324
        month = day = None
        if match := _MMDD.match(field):
            if match["star"]:
                yield Skipped(where, "line", f"{field}: a date marked * moves from year to year and no rule is given")
                return
            month, day = int(match["m"]), int(match["d"])
        elif (match := _DAY_MONTH.match(field)) or (match := _MONTH_DAY.match(field)):
            month, day = _month_number(match["name"], language), int(match["d"])
            if month is None:
                yield ImportProblem(where, f"{match['name']!r} is not a month name (LANG={language})")
                return
        elif field.isascii() and field.isdigit():
            yield Skipped(where, "line", f"{field!r} gives a day but no month (calendar(1) shows it every month)")
            return
        else:
            try:
                rule = parse_rule(field, aliases)
            except HodieError as err:
                reason = (
                    "an astronomical or lunar date Hodie does not compute" if _ASTRONOMICAL.search(field) else str(err)
                )
                yield Skipped(where, "line", f"{field}: {reason}")
                return
            yield HolidayRuleRecord(where=where, title=body, rule=rule.canonical, source_id=f"bsd:{identity}")
            return
        year = None
        title = body
        if tail := _YEAR_TAIL.search(body):
            year = int(tail["a"] or tail["b"])
            title = body[: tail.start()].rstrip(" ,;-–—")
        if year is None:
            date, kind = f"XXXX-{month:02d}-{day:02d}", "holiday"
        else:
            date = f"{day} {EN_MONTHS[month - 1]} {year}" if 1 <= month <= 12 else f"{year}-{month:02d}-{day:02d}"
            kind = "birth" if _BIRTH.search(title) else "death" if _DEATH.search(title) else "event"
        yield record_or_problem(
            EntryRecord,
            where=where,
            date=date,
            title=title or body,
            kind=kind,
            observance=(month, day) if 1 <= month <= 12 else None,
            # A line's day is the day calendar(1) shows it: filed there as an observance, never
            # moved by reading its year's date in another calendar (the Borodino day, 8 September,
            # read as Julian 1812, would land on 20 September).
            policy="observance" if 1 <= month <= 12 else "",
            source_id=f"bsd:{identity}",
            # Calendar files give the day a date is kept on, never its calendar: a date before
            # the last switch (Greece, 1923) is read under the collection's region, and flagged.
            needs_review=year is not None and year < 1924,
        )


def read(path: Path) -> Iterator[Item]:
    """Yield the records of ``path`` and of every file it includes (each once)."""
    yield from _Reader(path.resolve().parent).read(path, str(path))
