"""Explain how a typed date was read: the admin's preview and the CLI both use it."""

from __future__ import annotations

from typing import Any

from hodie.dates import HodieError, anniversaries, format_date, format_day, parse_date

from .models import Collection


def explain(text: str, collection: Collection | None, calendar: str | None = None) -> dict[str, Any]:
    region = collection.region if collection else "world"
    policy = collection.anniversary_policy if collection else "standard"
    try:
        date = parse_date(text, region=region, calendar=calendar or None)  # type: ignore[arg-type]
    except HodieError as err:
        return {"ok": False, "error": str(err)}
    keys = anniversaries(date)
    day = keys.for_policy(policy)  # type: ignore[arg-type]
    result: dict[str, Any] = {
        "ok": True,
        "edtf": date.edtf,
        "calendar": date.calendar,
        "display_en": format_date(date, "en"),
        "display_ru": format_date(date, "ru"),
        "region": region,
        "policy": policy,
        "day": format_day(*day) if day else None,
        "julian_day": format_day(*keys.julian) if keys.julian else None,
        "gregorian_day": format_day(*keys.gregorian) if keys.gregorian else None,
    }
    if not day:
        result["note"] = "Not on any day page: the date has no day."
    return result
