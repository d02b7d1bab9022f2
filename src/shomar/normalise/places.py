"""A gazetteer of Iran's 31 provinces (ISO 3166-2:IR codes) and their main cities, in both scripts.

Place text is matched on whole normalised tokens, longest name first, never on substrings, so
"Kerman" does not match inside "Kermanshah".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from shomar.normalise.persian import ZWNJ, is_persian, normalise


@dataclass(frozen=True)
class Place:
    """A resolved place: the province always, the city when the text named one."""

    province_code: str
    province_fa: str
    province_en: str
    city_fa: str | None = None
    city_en: str | None = None


def _key(text: str) -> str:
    text = normalise(text).replace(ZWNJ, " ")
    if not is_persian(text):
        text = re.sub(r"[-_'’.]", " ", text)
        text = re.sub(r"\b(and|o|va|&)\b", " ", text)
        text = text.replace("-e ", " ").replace("-e", "")
    else:
        text = re.sub(r"(^|\s)و(\s|$)", " ", text)
        text = text.replace("استان ", "").replace("شهرستان ", "")
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, Place], list[str]]:
    table: dict[str, Place] = {}
    with resources.files("shomar.normalise.data").joinpath("provinces.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            province = Place(row["code"], row["persian"], row["latin"])
            names = [row["persian"], row["latin"], *row["variants"].split("|")]
            for city in row["cities"].split("|"):
                fa, en = city.split(":")
                city_place = Place(row["code"], row["persian"], row["latin"], fa, en)
                for name in (fa, en):
                    table.setdefault(_key(name), city_place)
            for name in names:
                table[_key(name)] = province  # a province name wins over a same-named city
    return table, sorted(table, key=len, reverse=True)


def place(text: str | None) -> Place | None:
    """Resolve a province or city ("Zahedan, Sistan-Baluchistan", «سیستان و بلوچستان») or None."""
    if not text or not str(text).strip():
        return None
    table, names = _index()
    parts = [p for p in re.split(r"[,،/;|]", str(text)) if p.strip()]
    found: list[Place] = []
    for part in parts:
        key = _key(part)
        if key in table:
            found.append(table[key])
            continue
        padded = f" {key} "
        for name in names:
            if f" {name} " in padded:
                found.append(table[name])
                break
    if not found:
        return None
    city = next((p for p in found if p.city_fa), None)
    province = next((p for p in reversed(found) if p.city_fa is None), None)
    if province and city and city.province_code != province.province_code:
        return province
    return city or province
