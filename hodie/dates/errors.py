"""Exceptions raised by the date core.

Every message names the offending input and, where it helps, shows a form that would be
accepted, so that an editor (or an importer's ``FILE:LINE:`` prefix) can act on it.
"""

from __future__ import annotations


class HodieError(Exception):
    """Base class for Hodie's own errors."""


class UnparseableDate(HodieError, ValueError):
    """The text could not be read as a date at all ("night of 31-32 February 1939")."""


class InvalidDate(HodieError, ValueError):
    """The text was read, but names a day that does not exist (1900-02-29 Gregorian)."""


class InconsistentDate(InvalidDate):
    """A dual date whose two halves name different days ("7 September [O.S. 25 August] 1812")."""
