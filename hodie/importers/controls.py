"""Characters no text in Hodie may hold: the C0 control characters other than tab and line breaks
(XML 1.0 forbids them, so one in a title makes every feed that lists it fail), NUL among them
(PostgreSQL refuses it in text), lone surrogates (not encodable as UTF-8) and the non-characters
U+FFFE and U+FFFF. Imports refuse a record holding one, naming the field and the character; the
comment form refuses them; output that might still meet one (stored before this check) strips them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from .records import ImportProblem

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NAMES = {"\x00": "NUL", "\x0b": "vertical tab", "\x0c": "form feed", "\x1b": "escape"}


def describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        return f"a lone surrogate ({code})"
    name = NAMES.get(char)
    return f"the control character {name} ({code})" if name else f"the control character {code}"


# What a person types in a form never holds C1 controls either (DEL and U+0080-U+009F: XML allows
# them, but they only reach a form pasted from a broken encoding or on purpose); imported text may.
TYPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def problem_in(text: str, typed: bool = False) -> str | None:
    """What is wrong with ``text``, or None: the first forbidden character and where it is
    (``typed``: text from a form, where C1 controls are refused too)."""
    found = (TYPED if typed else FORBIDDEN).search(text)
    if found is None:
        return None
    return f"{describe(found.group())} at character {found.start() + 1}"


def strip(text: str) -> str:
    return FORBIDDEN.sub("", text)


def _texts(value: object, name: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield name, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.name != "where":
                yield from _texts(getattr(value, field.name), f"{name}.{field.name}" if name else field.name)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _texts(item, f"{name}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key, f"{name} key")
            yield from _texts(item, f"{name}[{key!r}]")


def record_problem(record: object) -> ImportProblem | None:
    """An :class:`ImportProblem` at the record's ``where`` for its first forbidden character."""
    for name, text in _texts(record, ""):
        found = problem_in(text)
        if found:
            where = str(getattr(record, "where", "") or "(a record)")
            return ImportProblem(where, f"{name} holds {found}; remove it from the source and import again")
    return None
