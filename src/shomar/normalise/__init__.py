"""Persian-aware normalisation: script, digits, names across scripts, dates, places. Pure text."""

from shomar.normalise.dates import DateParseError, PartialDate, parse_date
from shomar.normalise.persian import is_persian, normalise, to_ascii_digits
from shomar.normalise.places import Place, place

__all__ = [
    "DateParseError", "PartialDate", "Place", "is_persian", "normalise", "parse_date", "place",
    "to_ascii_digits",
]
