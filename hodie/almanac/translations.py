"""Text in several languages: which fields of which models are translatable, and what a reader of
a given language is shown.

Each translatable object keeps its text in its original language in its own columns (``title``,
``summary`` ...), names that language in ``language``, and keeps its translations in one JSON column,
``translations``: ``{"ru": {"title": "...", "summary": "..."}}``. A translation is marked as such by
living there, never in the original's columns.

Why a JSON column and not a kept library. django-parler keeps translations in a table per model and
reads them with one query per model (or per object without prefetching); the day page reads its
entries, people, places, tags and articles with fixed SQL on the bare cursor (days.py) and must not
gain a query per kind, let alone per entry. django-modeltranslation adds one column per field and
language (``title_en``, ``title_ru``): a new language is a schema migration of every table, and the
original language of a row is not recorded at all (it assumes the site's default). A JSON column
is read with the row it belongs to, on SQLite and PostgreSQL alike, takes a third language without
a migration, and the export and import carry it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hodie.importers.records import LANGUAGES, TRANSLATABLE, ImportProblem, read_translations, translations_dict

__all__ = [
    "LANGUAGES",
    "ONLY_IN",
    "TRANSLATABLE",
    "Shown",
    "asked_language",
    "check",
    "missing",
    "shown",
    "untranslated",
]

# The visible note beside a text shown in another language than the reader's, in the reader's.
ONLY_IN = {"en": _("only in English"), "ru": _("only in Russian")}


@dataclass(frozen=True)
class Shown:
    """The text a reader sees for one field: the words, their language, and whether they are a
    fallback (the reader's language had none)."""

    text: str
    language: str
    fallback: bool = False

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def note(self) -> str:
        """ "only in English" (in the reader's language) for a fallback, else nothing."""
        return str(ONLY_IN.get(self.language, self.language)) if self.fallback else ""


def asked_language(value: str | None, status: int = 400) -> str:
    """The language a feed, calendar or API request asks for (``?lang=ru``, ``/wikipedia/ru/``):
    empty when it asks for none (the collection's is used), else one of :data:`LANGUAGES`, else a
    problem (400, or ``status``) naming the ones there are."""
    from hodie.site.problems import Problem

    if not value:
        return ""
    if value not in LANGUAGES:
        raise Problem(f"lang {value[:20]!r} is not one of {', '.join(LANGUAGES)}", status)
    return value


def fields_of(obj: Any) -> tuple[str, ...]:
    return TRANSLATABLE[obj._meta.model_name]


def shown(obj: Any, field: str, language: str) -> Shown:
    """``obj``'s ``field`` for a reader of ``language``: the original when it is in that language,
    else the translation, else the original marked as a fallback. An empty original with no
    translation is not a fallback: there is nothing to show."""
    original = getattr(obj, field) or ""
    own = obj.language or "en"
    if own == language:
        return Shown(original, own)
    translated = (obj.translations or {}).get(language, {}).get(field, "")
    if translated:
        return Shown(translated, language)
    return Shown(original, own, fallback=bool(original))


def missing(obj: Any, language: str) -> list[str]:
    """The fields of ``obj`` with an original text but no text in ``language``."""
    if (obj.language or "en") == language:
        return []
    there = (obj.translations or {}).get(language, {})
    return [f for f in fields_of(obj) if getattr(obj, f) and not there.get(f)]


def untranslated(model: Any, language: str) -> Q:
    """The rows of ``model`` whose main text (an entry's title, a person's name) has no version in
    ``language``: written in another and not translated. One condition on the row's own columns,
    so a count or an admin filter is one query."""
    main = TRANSLATABLE[model._meta.model_name][0]
    # The outer has_key first: on PostgreSQL the inner one is NULL (neither true nor false, so
    # never matched, even negated) for a row with no translation into ``language`` at all.
    lacking = ~Q(translations__has_key=language) | ~Q(**{f"translations__{language}__has_key": main})
    return ~Q(language=language) & lacking


def check(obj: Any) -> None:
    """Refuse (ValidationError) translations that are not ``{"ru": {"title": "..."}}`` with the
    model's translatable fields, or that translate into the original's own language."""
    try:
        found = read_translations("translations", obj.translations, obj._meta.model_name, obj.language)
    except ImportProblem as err:
        raise ValidationError({"translations": err.reason}) from err
    obj.translations = translations_dict(found)
