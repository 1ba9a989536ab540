"""CSV with the column names of the JSONL schema (``date``, ``title``, ``kind``, ``calendar``, ``id``,
``summary``, ``body``, ``tags``, ``people``, ``places``, ``sources``, ``featured``, ``observance``,
``collections``, ``language``). List columns hold values separated by ``;``; ``featured`` is
true/false/yes/no/1/0. A translation is a column named field and language with a dot: ``title.ru``,
``summary.ru``, ``body.ru``.
The first row names the columns; an unknown column is refused, naming it. Streamed."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .jsonl import KNOWN_KEYS, record_from_object
from .records import LANGUAGES, TRANSLATABLE, ImportProblem, Item, record_or_problem

LISTS = {"tags", "people", "places", "sources", "collections"}
TRUE, FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n", ""}
COLUMNS = KNOWN_KEYS - {"type", "translations"}
TRANSLATED = {f"{field}.{language}" for field in TRANSLATABLE["entry"] for language in LANGUAGES}


def read(path: Path) -> Iterator[Item]:
    name = str(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as err:
        raise ImportProblem(name, f"cannot open: {err.strerror}") from err
    with handle:
        try:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                return
            columns = [column.strip().lower() for column in header]
            unknown = [column for column in columns if column not in COLUMNS | TRANSLATED]
            if unknown:
                raise ImportProblem(
                    f"{name}:1",
                    f"unknown column(s) {', '.join(unknown)}; known: {', '.join(sorted(COLUMNS))}, "
                    "and translations as field.language (title.ru)",
                )
            for required in ("date", "title"):
                if required not in columns:
                    raise ImportProblem(f"{name}:1", f"no {required!r} column")
            start = reader.line_num + 1
            for row in reader:
                where = f"{name}:{start}"
                start = reader.line_num + 1
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(columns):
                    yield ImportProblem(where, f"{len(row)} cells where the header has {len(columns)}")
                    continue
                obj: dict[str, Any] = {}
                for column, cell in zip(columns, row, strict=True):
                    cell = cell.strip()
                    if column in LISTS:
                        obj[column] = [part.strip() for part in cell.split(";") if part.strip()]
                    elif column == "featured":
                        if cell.lower() not in TRUE | FALSE:
                            yield ImportProblem(where, f"featured {cell!r} is not true or false")
                            break
                        obj[column] = cell.lower() in TRUE
                    elif column in TRANSLATED and cell:
                        field, language = column.split(".")
                        obj.setdefault("translations", {}).setdefault(language, {})[field] = cell
                    elif cell:
                        obj[column] = cell
                else:
                    yield record_or_problem(record_from_object, obj, where)
        except csv.Error as err:
            raise ImportProblem(f"{name}:{reader.line_num}", f"not readable as CSV ({err})") from err
        except UnicodeDecodeError as err:
            raise ImportProblem(name, f"not UTF-8 text ({err.reason} at byte {err.start})") from err
