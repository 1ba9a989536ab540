"""An entry suggested by a post's title: "1939: Georgy Kosenko, NKVD spy", published on its anniversary.

ExecutedToday.com (and many "this day" blogs) title each post "YEAR: Name, epithet" and publish it on
the anniversary; the year comes from the title and the month and day from the day of publication in
the blog's own time zone. The entry is marked for an editor to confirm.
"""

from __future__ import annotations

import re
from datetime import date

from hodie.dates.names import EN_MONTHS

from .records import EntryRecord, ImportProblem

_TITLE = re.compile(r"^\s*(?P<year>\d{1,4})(?:\s*(?P<bc>BC|BCE|B\.C\.))?\s*:\s+(?P<rest>\S.*)$")


def entry_from_title(title: str, published: date | None, where: str, source_id: str) -> EntryRecord | None:
    """The suggested entry, or None when the title does not read "YEAR: ..." or there is no date."""
    match = _TITLE.match(title or "")
    if match is None or published is None:
        return None
    year = int(match["year"])
    if year == 0:
        return None
    rest = match["rest"].strip()
    era = " BC" if match["bc"] else ""
    person = rest.split(",")[0].strip() if "," in rest else ""
    try:
        return EntryRecord(
            where=where,
            date=f"{published.day} {EN_MONTHS[published.month - 1]} {year}{era}",
            title=rest,
            people=(person,) if person and len(person) <= 120 else (),
            source_id=f"{source_id}#entry",
            needs_review=True,
        )
    except ImportProblem:
        return None
