"""Persian-aware normalisation: script, digits, names across scripts, dates, places. Pure text."""

from shomar.normalise.dates import (
    DateParseError,
    PartialDate,
    gregorian_to_jalali,
    jalali_to_gregorian,
    parse_date,
)
from shomar.normalise.names import (
    NameParts,
    fold_latin,
    name_key,
    name_similarity,
    romanise,
    similarity_matrix,
    skeleton_key,
    split_name,
)
from shomar.normalise.persian import is_persian, normalise, to_ascii_digits
from shomar.normalise.places import Place, place

__all__ = [
    "DateParseError", "NameParts", "PartialDate", "Place", "fold_latin", "gregorian_to_jalali", "is_persian", "jalali_to_gregorian", "name_key",
    "name_similarity", "normalise", "parse_date", "place", "romanise", "similarity_matrix", "skeleton_key", "split_name",
    "to_ascii_digits",
]
