"""A synthetic scenario with ground truth: 4 source files in their own formats, plus the truth.

Nothing here is real: names are random combinations of name lists, roots and affixes, and every
date, place and age is drawn at random. The same seed gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from shomar.demo import render as r
from shomar.demo.capture import SOURCES, capture_matrix
from shomar.demo.people import Person, generate_people

DUPLICATE_RATE = 0.035  # share of a list's people recorded twice (a re-report, a merged export)
TYPO_RATE = 0.05
COPY_SPELLING = 0.7  # share of news records about an ngo_en person that reuse ngo_en's spelling


@dataclass(frozen=True)
class Scenario:
    out_dir: Path
    sources: list[tuple[str, Path, Path | None, str]]  # name, file, mapping file or None, description
    truth_path: Path
    people_path: Path
    n_people_true: int
    n_records_per_source: dict[str, int]


def _provinces_en() -> dict[str, tuple[str, str, list[str]]]:
    from importlib import resources

    text = resources.files("shomar.normalise.data").joinpath("provinces.csv").read_text("utf-8")
    return {row["code"]: (row["persian"], row["latin"], row["variants"].split("|"))
            for row in csv.DictReader(text.splitlines())}


def _maybe(value: Any, rng: np.random.Generator, p_missing: float) -> Any:
    return "" if value is None or rng.random() < p_missing else value


def _row_ngo_fa(p: Person, rng: np.random.Generator, prov: dict) -> dict[str, str]:
    given, family = r.full_persian(p, rng)
    if rng.random() < TYPO_RATE:
        family = r.typo(family, rng)
    age = r.jitter_age(p.age, rng)
    return {"نام": given, "نام خانوادگی": family, "نام پدر": _maybe(r.persian(p.father, rng), rng, 0.4),
            "سن": "" if age is None else str(age).translate(r.FA_DIGITS),
            "جنسیت": "زن" if p.sex == "f" else "مرد",
            "تاریخ جان‌باختن": r.jalali_text(p.date, rng, persian_digits=True),
            "استان": prov[p.province_code][0], "شهر": _maybe(p.city_fa, rng, 0.2),
            "توضیحات": "اعدام" if p.event == "execution" else ""}


def _row_ngo_en(p: Person, rng: np.random.Generator, prov: dict) -> dict[str, str]:
    first, last = r.latin(p.given, rng), r.latin(p.family, rng)
    if rng.random() < TYPO_RATE:
        last = r.typo(last, rng)
    if p.sayyid and rng.random() < 0.3:
        first = f"Seyed {first}"
    if rng.random() < 0.03:  # given and family swapped, as in hand-typed lists
        first, last = last, first
    age = r.jitter_age(p.age, rng)
    _, name_en, variants = prov[p.province_code]
    return {"first_name": first, "last_name": last, "father_name": _maybe(r.latin(p.father, rng), rng, 0.6),
            "age": "" if age is None else str(age), "gender": "female" if p.sex == "f" else "male",
            "date_of_death": r.english_date(p.date, rng),
            "province": r.english_province(name_en, variants, rng), "city": _maybe(p.city_en, rng, 0.3)}


def _row_news(p: Person, rng: np.random.Generator, prov: dict, copied: str | None = None) -> dict[str, Any]:
    # ``copied`` is how ngo_en wrote this person: the feed reuses that spelling for most such people.
    if copied is not None and rng.random() < COPY_SPELLING:
        given, family = copied.split("\t")
        place = f"{p.city_en}, {prov[p.province_code][1]}"
    elif rng.random() < 0.5:
        given, family = r.full_persian(p, rng)
        place = f"{p.city_fa}، {prov[p.province_code][0]}"
    else:
        given, family = r.latin(p.given, rng), r.latin(p.family, rng)
        place = f"{p.city_en}, {prov[p.province_code][1]}"
    name = f"{given} {family}"
    if rng.random() < TYPO_RATE:
        name = r.typo(name, rng)
    age = r.jitter_age(p.age, rng)
    return {"name": name, "age": age if age is not None and rng.random() > 0.3 else None,
            "date": p.date.isoformat(), "place": place, "event": "executed" if p.event == "execution" else "killed in protests",
            "source_url": f"https://news.example.org/{int(rng.integers(10**6, 10**7))}"}


def _row_legacy(p: Person, rng: np.random.Generator, prov: dict) -> dict[str, str]:
    given, family = r.full_persian(p, rng)
    name = f"{given} {family}"
    if rng.random() < TYPO_RATE:
        name = r.typo(name, rng)
    arabic = name.replace("ی", "ي").replace("ک", "ك")
    age = r.jitter_age(p.age, rng)
    y, m, d = r.gregorian_to_jalali(p.date)
    return {"نام و نام خانوادگي": arabic, "نام پدر": _maybe(r.persian(p.father, rng).replace("ی", "ي").replace("ک", "ك"), rng, 0.5),
            "سن": "" if age is None else str(age), "تاريخ": f"{y}-{m}-{d}",
            "استان": prov[p.province_code][0].replace("ی", "ي").replace("ک", "ك")}


ROWS: dict[str, Callable[..., dict[str, Any]]] = {
    "ngo_fa": _row_ngo_fa, "ngo_en": _row_ngo_en, "news": _row_news, "legacy": _row_legacy,
}
ID_COLUMN = {"ngo_fa": "شناسه", "ngo_en": "id", "news": "id", "legacy": "شماره"}
FILES = {"ngo_fa": "ngo_fa.csv", "ngo_en": "ngo_en.csv", "news": "news.jsonl", "legacy": "legacy_cp1256.csv"}
DESCRIPTIONS = {
    "ngo_fa": "Persian-language NGO list (UTF-8 CSV, Persian headers, Jalali dates, Persian digits)",
    "ngo_en": "English-language NGO list (CSV, varying transliterations and date styles)",
    "news": "news feed (JSON Lines, mixed script, 'City, Province' places)",
    "legacy": "older archive export (Windows-1256 CSV, Arabic ي/ك, Jalali dates)",
}
LEGACY_MAP = '[source]\nformat = "csv"\nencoding = "cp1256"\ncalendar = "jalali"\n\n[columns]\n"شماره" = "record_id"\n'


def generate_scenario(out_dir: str | Path, *, n_people: int = 3000, seed: int = 2024) -> Scenario:
    """Write the four source files, their truth and the people table into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    people = generate_people(n_people, rng)
    seen = capture_matrix(people, rng)
    prov = _provinces_en()
    truth: list[tuple[str, str, str]] = []
    counts: dict[str, int] = {}
    sources = []
    english: dict[int, str] = {}  # person index -> how ngo_en spelled the name (the feed copies it)
    for j, source in enumerate(SOURCES):
        rows = []
        for i in map(int, np.flatnonzero(seen[:, j])):
            copies = 2 if rng.random() < DUPLICATE_RATE else 1
            extra = {"copied": english.get(i)} if source == "news" else {}
            rows += [(people[i], ROWS[source](people[i], rng, prov, **extra)) for _ in range(copies)]
            if source == "ngo_en":
                english.setdefault(i, f"{rows[-1][1]['first_name']}\t{rows[-1][1]['last_name']}")
        order = rng.permutation(len(rows))
        records = []
        for k, idx in enumerate(order):
            person, row = rows[idx]
            record_id = f"{source[:2].upper()}{k + 1:05d}"
            records.append({ID_COLUMN[source]: record_id, **row})
            truth.append((source, record_id, person.person_id))
        path = out_dir / FILES[source]
        _write(source, path, records)
        counts[source] = len(records)
        map_path = None
        if source == "legacy":
            map_path = out_dir / "legacy_cp1256.map.toml"
            map_path.write_text(LEGACY_MAP, encoding="utf-8")
        sources.append((source, path, map_path, DESCRIPTIONS[source]))
    truth_path = out_dir / "truth.csv"
    _write_csv(truth_path, [{"source": s, "record_id": rid, "person_id": pid} for s, rid, pid in truth], "utf-8")
    people_path = out_dir / "people_truth.csv"
    _write_csv(people_path, [_person_row(p, seen[i]) for i, p in enumerate(people)], "utf-8")
    return Scenario(out_dir, sources, truth_path, people_path, n_people, counts)


def _person_row(p: Person, seen: np.ndarray) -> dict[str, Any]:
    return {"person_id": p.person_id, "given": p.given.persian, "family": p.family.persian,
            "father": p.father.persian, "sayyid": int(p.sayyid), "sex": p.sex, "age": p.age or "",
            "date": p.date.isoformat(), "event": p.event, "province": p.province_code, "city": p.city_en,
            "prominence": round(p.prominence, 4),
            **{s: int(v) for s, v in zip(SOURCES, seen, strict=True)}}


def _write(source: str, path: Path, records: list[dict[str, Any]]) -> None:
    if source == "news":
        path.write_text("".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in records), encoding="utf-8")
    else:
        _write_csv(path, records, "cp1256" if source == "legacy" else "utf-8")


def _write_csv(path: Path, rows: list[dict[str, Any]], encoding: str) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
