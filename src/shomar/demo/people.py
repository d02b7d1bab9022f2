"""The synthetic population: who was killed, where and when (names drawn from ``names.py``)."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, replace
from importlib import resources

import numpy as np

from shomar.demo.names import Name, family_pool, given_pool

# Share of deaths by province (ISO code) in the scenario: skewed like protest-era documentation,
# with a heavy south-east and Kurdish west. Every other province shares the remainder.
PROVINCE_WEIGHTS = {"IR-11": 0.22, "IR-12": 0.12, "IR-23": 0.12, "IR-04": 0.09, "IR-30": 0.04,
                    "IR-10": 0.04, "IR-06": 0.04, "IR-02": 0.04, "IR-01": 0.04, "IR-05": 0.04}
START, END = dt.date(2022, 9, 16), dt.date(2023, 2, 28)
MASS_DAYS = {dt.date(2022, 9, 30): "IR-11", dt.date(2022, 11, 4): "IR-11", dt.date(2022, 11, 16): "IR-06"}
# After the protests: executions, spread over 2023, mostly in a few provinces with large prisons.
EXECUTION_SHARE = 0.03
EXECUTION_START, EXECUTION_END = dt.date(2023, 3, 1), dt.date(2023, 12, 31)
EXECUTION_PROVINCES = ("IR-23", "IR-30", "IR-11", "IR-10", "IR-01")
# Different people given the same full name and the same date: the homonyms a linker must not merge.
HOMONYM_SHARE = 0.01
FEMALE_SHARE = 0.12


@dataclass(frozen=True)
class Person:
    person_id: str
    given: Name
    family: Name
    father: Name
    sayyid: bool
    sex: str
    age: int | None
    date: dt.date
    province_code: str
    city_fa: str
    city_en: str
    prominence: float  # drives how likely every list is to record this person
    event: str = "protest"  # "protest" or "execution"


def _provinces() -> dict[str, list[tuple[str, str]]]:
    text = resources.files("shomar.normalise.data").joinpath("provinces.csv").read_text("utf-8")
    return {r["code"]: [tuple(c.split(":")) for c in r["cities"].split("|")]  # type: ignore[misc]
            for r in csv.DictReader(text.splitlines())}


def _when_where(rng: np.random.Generator, codes: list[str], p_prov: np.ndarray) -> tuple[dt.date, str, str]:
    r = rng.random()
    if r < EXECUTION_SHARE:
        span = (EXECUTION_END - EXECUTION_START).days
        date = EXECUTION_START + dt.timedelta(days=int(rng.integers(span + 1)))
        return date, EXECUTION_PROVINCES[int(rng.integers(len(EXECUTION_PROVINCES)))], "execution"
    if r < EXECUTION_SHARE + 0.15:  # a mass-casualty day
        date = list(MASS_DAYS)[int(rng.integers(len(MASS_DAYS)))]
        return date, MASS_DAYS[date], "protest"
    days = (END - START).days
    date = START + dt.timedelta(days=int(min(rng.exponential(days / 3), days)))
    return date, codes[int(rng.choice(len(codes), p=p_prov))], "protest"


def _add_homonyms(people: list[Person], rng: np.random.Generator) -> list[Person]:
    """Give some people another person's full name and date (father, age and place stay their own)."""
    n = len(people)
    for i in rng.choice(n, size=int(HOMONYM_SHARE * n), replace=False) if n > 1 else []:
        j = int(rng.integers(n))
        if j != i and people[j].sex == people[i].sex:
            people[i] = replace(people[i], given=people[j].given, family=people[j].family,
                                date=people[j].date, event=people[j].event)
    return people


def generate_people(n_people: int, rng: np.random.Generator) -> list[Person]:
    # Names are drawn all at once from their pools (heavy-tailed, so common names still collide).
    is_female = rng.random(n_people) < FEMALE_SHARE
    male, female = given_pool("m").draw(rng, n_people), given_pool("f").draw(rng, n_people)
    families, fathers = family_pool().draw(rng, n_people), given_pool("m").draw(rng, n_people)
    provinces = _provinces()
    codes = sorted(provinces)
    rest = (1 - sum(PROVINCE_WEIGHTS.values())) / (len(codes) - len(PROVINCE_WEIGHTS))
    p_prov = np.array([PROVINCE_WEIGHTS.get(c, rest) for c in codes])
    people = []
    for i in range(n_people):
        sex = "f" if is_female[i] else "m"
        date, code, event = _when_where(rng, codes, p_prov)
        cities = provinces[code]
        city_fa, city_en = cities[0] if rng.random() < 0.6 else cities[int(rng.integers(len(cities)))]
        age = int(np.clip(rng.normal(27, 10), 8, 80)) if rng.random() > 0.05 else None
        people.append(Person(
            person_id=f"T{i + 1:06d}", given=female[i] if sex == "f" else male[i],
            family=families[i], father=fathers[i], sayyid=rng.random() < 0.06,
            sex=sex, age=age, date=date, province_code=code, city_fa=city_fa, city_en=city_en,
            prominence=float(rng.beta(2, 3)), event=event,
        ))
    return _add_homonyms(people, rng)
