"""How each list writes a person: script, spelling, date style, missing fields and typos."""

from __future__ import annotations

import datetime as dt

import numpy as np

from shomar.demo.names import Name
from shomar.demo.people import Person
from shomar.normalise.dates import gregorian_to_jalali

FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
JALALI_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
                 "دی", "بهمن", "اسفند"]
ZWNJ = "\u200c"
# How a ZWNJ-joined name (حسن‌زاده, علی‌اکبر) is written: kept, a space, or dropped (حسن زاده,
# حسنزاده), near the shares in a real victim list (docs/notes/demo.md).
ZWNJ_KEPT, ZWNJ_AS_SPACE = 0.22, 0.48
SPLIT_COMPOUND = 0.25  # a joined compound written as two words: محمد رضا


def latin(name: Name, rng: np.random.Generator) -> str:
    # The first spelling is the usual one; the others appear about a third of the time.
    if len(name.latin) == 1 or rng.random() < 0.65:
        return name.latin[0]
    return name.latin[int(rng.integers(1, len(name.latin)))]


def persian(name: Name, rng: np.random.Generator) -> str:
    text = name.persian
    if ZWNJ in text:
        r = rng.random()
        if r >= ZWNJ_KEPT:
            text = text.replace(ZWNJ, " " if r < ZWNJ_KEPT + ZWNJ_AS_SPACE else "")
    elif name.boundary and rng.random() < SPLIT_COMPOUND:
        text = f"{text[:name.boundary]} {text[name.boundary:]}"
    return text


def typo(text: str, rng: np.random.Generator) -> str:
    """Drop, double or swap one letter inside the word (never the first)."""
    letters = list(text)
    positions = [i for i in range(1, len(letters) - 1) if letters[i].isalpha()]
    if not positions:
        return text
    i = positions[int(rng.integers(len(positions)))]
    kind = rng.random()
    if kind < 0.4:
        del letters[i]
    elif kind < 0.7:
        letters.insert(i, letters[i])
    elif letters[i + 1].isalpha():
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    return "".join(letters)


def jalali_text(date: dt.date, rng: np.random.Generator, *, persian_digits: bool) -> str:
    y, m, d = gregorian_to_jalali(date)
    r = rng.random()
    if r < 0.08:
        text = f"{JALALI_MONTHS[m - 1]} {y}"
    elif r < 0.11:
        text = str(y)
    elif r < 0.2:
        text = f"{d} {JALALI_MONTHS[m - 1]} {y}"
    else:
        text = f"{y}/{m:02d}/{d:02d}"
    return text.translate(FA_DIGITS) if persian_digits else text


def english_date(date: dt.date, rng: np.random.Generator) -> str:
    r = rng.random()
    if r < 0.5:
        return date.isoformat()
    if r < 0.75:
        month = date.strftime("%b")
        return f"{'Sept' if month == 'Sep' else month} {date.day}, {date.year}"
    if r < 0.95:
        return f"{date.day} {date.strftime('%B')} {date.year}"
    return date.strftime("%Y-%m")


def english_province(code_name: str, variants: list[str], rng: np.random.Generator) -> str:
    return variants[int(rng.integers(len(variants)))] if rng.random() < 0.3 and variants else code_name


def full_persian(p: Person, rng: np.random.Generator) -> tuple[str, str]:
    given = persian(p.given, rng)
    family = persian(p.family, rng)
    if p.sayyid and rng.random() < 0.6:
        given = ("سیده " if p.sex == "f" else "سید ") + given
    return given, family


def jitter_age(age: int | None, rng: np.random.Generator) -> int | None:
    if age is None or rng.random() < 0.1:
        return None
    return age + int(rng.choice([-1, 1])) if rng.random() < 0.1 else age
