"""A record's fingerprint: equal hashes mean the stored row has nothing to update."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

_PLAIN = frozenset((str, int, bool, float, type(None)))


def _strip(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(_strip(v) for v in _values(value))
    if isinstance(value, tuple):
        return tuple(_strip(v) for v in value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


_HASHED: dict[type, Callable[[Any], tuple[Any, ...]]] = {}  # a record type's fields but ``where``
# Fields added after hashes were first stored, with their defaults: left out of the hash while they
# hold the default, so that a record that says nothing of them hashes as it did before they came
# (else the first re-import after an upgrade would take every entry for changed).
_LATER = {"language": "", "translations": ()}
_OPTIONAL: dict[type, tuple[int, ...]] = {}  # where a record type's later fields are among its values


def _values(record: Any) -> tuple[Any, ...]:
    """A record's fields but ``where``, in order, without the later ones that hold their defaults."""
    kind = type(record)
    if kind not in _HASHED:
        names = [f.name for f in dataclasses.fields(record) if f.name != "where"]
        getter = attrgetter(*names)
        _HASHED[kind] = getter if len(names) > 1 else lambda r: (getter(r),)
        _OPTIONAL[kind] = tuple(at for at, name in enumerate(names) if name in _LATER)
    values = _HASHED[kind](record)
    optional = _OPTIONAL[kind]
    if optional and all(values[at] in ("", ()) for at in optional):
        values = tuple(v for at, v in enumerate(values) if at not in optional)
    return values


def record_hash(record: Any, *context: str) -> str:
    """What a record says, apart from where it was read: equal hashes mean nothing to update.

    ``repr`` of the fields (frozen dataclasses, tuples, strings, aware datetimes) is deterministic
    and several times faster than ``dataclasses.asdict`` on a million records; plain values and
    tuples of strings, nearly all of an entry, are taken as they are without a recursive call."""
    values = _values(record)
    stripped = [
        value
        if type(value) in _PLAIN or (type(value) is tuple and all(type(v) is str for v in value))
        else _strip(value)
        for value in values
    ]
    text = repr((tuple(stripped), context))
    return hashlib.sha1(text.encode()).hexdigest()  # noqa: S324 - change detection, not security
