"""The synthetic population: who was killed, where and when (random combinations of name lists)."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from importlib import resources

import numpy as np

# Share of deaths by province (ISO code) in the scenario: skewed like protest-era documentation,
# with a heavy south-east and Kurdish west. Every other province shares the remainder.
PROVINCE_WEIGHTS = {"IR-11": 0.22, "IR-12": 0.12, "IR-23": 0.12, "IR-04": 0.09, "IR-30": 0.04,
                    "IR-10": 0.04, "IR-06": 0.04, "IR-02": 0.04, "IR-01": 0.04, "IR-05": 0.04}
START, END = dt.date(2022, 9, 16), dt.date(2023, 2, 28)
MASS_DAYS = {dt.date(2022, 9, 30): "IR-11", dt.date(2022, 11, 4): "IR-11", dt.date(2022, 11, 16): "IR-06"}


@dataclass(frozen=True)
class Name:
    persian: str
    latin: tuple[str, ...]
    weight: float
    sex: str = ""


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


def _names(file: str) -> list[Name]:
    text = resources.files("shomar.normalise.data").joinpath(file).read_text("utf-8")
    return [Name(r["persian"], tuple(r["latin"].split("|")), float(r["weight"]), r.get("sex", ""))
            for r in csv.DictReader(text.splitlines())]


def _provinces() -> dict[str, list[tuple[str, str]]]:
    text = resources.files("shomar.normalise.data").joinpath("provinces.csv").read_text("utf-8")
    return {r["code"]: [tuple(c.split(":")) for c in r["cities"].split("|")]  # type: ignore[misc]
            for r in csv.DictReader(text.splitlines())}


def _pick(rng: np.random.Generator, names: list[Name]) -> Name:
    # Zipf-like: the listed weights squared make common names much more common, so homonyms occur.
    w = np.array([n.weight for n in names]) ** 1.5
    return names[int(rng.choice(len(names), p=w / w.sum()))]


def generate_people(n_people: int, rng: np.random.Generator) -> list[Person]:
    given = _names("given_names.csv")
    male = [n for n in given if n.sex == "m"]
    female = [n for n in given if n.sex == "f"]
    families = _names("family_names.csv")
    provinces = _provinces()
    codes = sorted(provinces)
    rest = (1 - sum(PROVINCE_WEIGHTS.values())) / (len(codes) - len(PROVINCE_WEIGHTS))
    p_prov = np.array([PROVINCE_WEIGHTS.get(c, rest) for c in codes])
    days = (END - START).days
    people = []
    for i in range(n_people):
        sex = "f" if rng.random() < 0.12 else "m"
        if rng.random() < 0.15:  # a mass-casualty day
            date = list(MASS_DAYS)[int(rng.integers(len(MASS_DAYS)))]
            code = MASS_DAYS[date]
        else:
            date = START + dt.timedelta(days=int(min(rng.exponential(days / 3), days)))
            code = codes[int(rng.choice(len(codes), p=p_prov))]
        cities = provinces[code]
        city_fa, city_en = cities[0] if rng.random() < 0.6 else cities[int(rng.integers(len(cities)))]
        age = int(np.clip(rng.normal(27, 10), 8, 80)) if rng.random() > 0.05 else None
        people.append(Person(
            person_id=f"T{i + 1:06d}", given=_pick(rng, female if sex == "f" else male),
            family=_pick(rng, families), father=_pick(rng, male), sayyid=rng.random() < 0.06,
            sex=sex, age=age, date=date, province_code=code, city_fa=city_fa, city_en=city_en,
            prominence=float(rng.beta(2, 3)),
        ))
    return people
