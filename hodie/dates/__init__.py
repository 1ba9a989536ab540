"""Hodie's date core: calendars, EDTF, human dates, display and anniversaries.

Pure Python: this package never imports Django, so importers and tools can use it alone.
"""

from .anniversary import (
    POLICIES,
    Anniversaries,
    Filing,
    Policy,
    anniversaries,
    check_month_day,
    day_key,
    filing,
    filing_key,
)
from .calendars import CALENDARS, GREGORIAN_REFORM_JDN, Calendar, convert, from_jdn, is_leap, to_jdn
from .display import format_date, format_day, format_year, month_name
from .edtf import format_edtf, parse_edtf
from .errors import HodieError, InconsistentDate, InvalidDate, UnparseableDate
from .model import PRECISIONS, HistoricalDate, Point, Precision
from .parse import parse_date
from .regions import REGIONS, Region, get_region

__all__ = [
    "CALENDARS",
    "GREGORIAN_REFORM_JDN",
    "POLICIES",
    "PRECISIONS",
    "REGIONS",
    "Anniversaries",
    "Calendar",
    "Filing",
    "HistoricalDate",
    "HodieError",
    "InconsistentDate",
    "InvalidDate",
    "Point",
    "Policy",
    "Precision",
    "Region",
    "UnparseableDate",
    "anniversaries",
    "check_month_day",
    "convert",
    "day_key",
    "filing",
    "filing_key",
    "format_date",
    "format_day",
    "format_edtf",
    "format_year",
    "from_jdn",
    "get_region",
    "is_leap",
    "month_name",
    "parse_date",
    "parse_edtf",
    "to_jdn",
]  # fmt: skip
