"""Importers: one reader per format, each yielding :class:`~hodie.importers.records.EntryRecord`
values; :mod:`hodie.almanac.writer` is the one place that stores them. Readers never touch the ORM."""

from .records import EntryRecord, ImportProblem, SourceRecord

__all__ = ["EntryRecord", "ImportProblem", "SourceRecord"]
