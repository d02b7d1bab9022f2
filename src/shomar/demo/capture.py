"""Who each list records: heterogeneous (prominence, region) and dependent (copied) capture.

Design (the estimate should find that independence under-counts):
* ngo_fa: a Persian-language NGO, strong everywhere, stronger in the south-east and Kurdistan.
* ngo_en: an English-language NGO, depends on prominence (urban, widely reported cases).
* news:   a news feed that copies ngo_en heavily (positive dependence) and otherwise needs prominence.
* legacy: an older archive export, mostly the big provinces; it shares a reporting network of
          families and local contacts with ngo_fa, so it is likelier to hold ngo_fa's people.
"""

from __future__ import annotations

import numpy as np

from shomar.demo.people import Person

SOURCES = ("ngo_fa", "ngo_en", "news", "legacy")


def capture_matrix(people: list[Person], rng: np.random.Generator) -> np.ndarray:
    """(n_people, 4) 0/1: which lists record each person."""
    n = len(people)
    prom = np.array([p.prominence for p in people])
    region = np.array([p.province_code in ("IR-11", "IR-12", "IR-04") for p in people])
    capital = np.array([p.province_code in ("IR-23", "IR-30", "IR-10") for p in people])
    p_fa = np.clip(0.15 + 0.45 * prom + 0.15 * region, 0, 0.95)
    p_en = np.clip(0.05 + 0.7 * prom ** 1.5 + 0.1 * capital, 0, 0.95)
    fa = rng.random(n) < p_fa
    en = rng.random(n) < p_en
    p_news = np.where(en, 0.6, 0.07 + 0.35 * prom ** 2)
    news = rng.random(n) < p_news
    p_legacy = np.clip(0.05 + 0.3 * prom + 0.1 * capital + 0.15 * fa, 0, 0.9)
    legacy = rng.random(n) < p_legacy
    return np.column_stack([fa, en, news, legacy]).astype(np.uint8)
