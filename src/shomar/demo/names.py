"""Synthetic names: listed names, compound given names, and family names built from roots and affixes.

Everything is a combination of the tables in ``shomar/demo/data``:

* ``given_names.csv`` and ``family_names.csv``: listed names, Persian, Latin spellings (the usual
  one first) and a weight (roughly a share per 10,000 people); ``root`` marks the male given
  names that family names are built on (حسن → حسن‌زاده; not recent ones such as آرتین);
* ``given_parts.csv``: the two parts of compound given names, combined within a group
  (محمد + رضا, روح + الله, عبدال + کریم). A second part spelled lower-case in Latin is bound
  (Abdolkarim, Rouhollah); a capitalised one may also stand apart (Mohammad Reza);
* ``family_roots.csv``: places, occupations, titles, tribes and words, and modifiers and heads
  that make compound roots (نیک + بخت → نیکبخت); every given name marked ``root`` is one too;
* ``family_affixes.csv``: suffixes and prefixes (ی, زاده, پور, یان, نژاد, …) with their Latin
  spellings, how the parts are joined (joined, ZWNJ or a space), what they attach to (a root of
  some kinds, or an adjective in ی such as حسینی) and their weight, a share of all family names
  in percent. A row without an affix puts the root itself there: bare (رنجبر) or, before an
  adjective, a root prefix (علی + محمدی → علی‌محمدی).

A ``NamePool`` holds every name that can be drawn and its probability: listed names keep their
weights (they make the common head: محمد, حسینی), composed ones share the rest (the long tail:
حسن‌زاده, کریمی‌نژاد, پورمحمدی). A composed name that a list already holds is left to the list.
Latin spellings of composed names are made when a name is first drawn.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import product
from typing import NamedTuple

import numpy as np

from shomar.normalise.names import HONORIFICS

ZWNJ = "\u200c"
# Share of drawn names that are composed rather than listed (calibration: docs/notes/demo.md).
GIVEN_COMPOSED_SHARE = 0.05
FAMILY_COMPOSED_SHARE = 0.70
# Adjectives that take a second affix (حسینی‌نژاد, پورمحمدی): this share from the listed ی names.
LISTED_ADJECTIVE_SHARE = 0.4
# Listed weights as bases of composition: weight ** this, so محمدزاده and حسینی‌نژاد are common
# but do not take over the tail (a composed name's weight is its base's times its affix's share).
BASE_EXPONENT = 0.5
COMPOUND_ROOT_WEIGHT = 0.5  # mean weight of a modifier + head root (a word root weighs 1–4)
MAX_SPELLINGS = 4  # joined Latin spellings per composed name, before the one written apart
_JOINERS = {"joined": "", "zwnj": ZWNJ, "space": " "}


@dataclass(frozen=True)
class Name:
    persian: str
    latin: tuple[str, ...]
    weight: float
    sex: str = ""
    boundary: int = 0  # where a joined compound may be written with a space (محمد|رضا); 0: nowhere


# ``weight`` is relative within a name's own table (a composed name: its parts' product);
# what is drawn is the pool's probability.
class _Recipe(NamedTuple):
    """A composed name before its Latin spellings are made."""

    persian: str
    weight: float
    heads: tuple[str, ...]
    tails: tuple[str, ...]
    apart: str | None = None
    boundary: int = 0


@dataclass(frozen=True, eq=False)
class NamePool:
    """Every name that can be drawn, with its probability."""

    listed: tuple[Name, ...]
    recipes: tuple[_Recipe, ...]
    p: np.ndarray = field(repr=False)
    sex: str = ""
    _made: dict[int, Name] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.listed) + len(self.recipes)

    def name(self, i: int) -> Name:
        if i < len(self.listed):
            return self.listed[i]
        if i not in self._made:
            r = self.recipes[i - len(self.listed)]
            self._made[i] = Name(r.persian, _spellings(r.heads, r.tails, r.apart), r.weight,
                                 self.sex, r.boundary)
        return self._made[i]

    def draw(self, rng: np.random.Generator, size: int) -> list[Name]:
        return [self.name(int(i)) for i in rng.choice(len(self), size=size, p=self.p)]


class _Root(NamedTuple):
    name: Name
    kind: str


class _Affix(NamedTuple):
    persian: str
    latin: tuple[str, ...]
    joint: str  # joined | zwnj | space
    position: str  # after | before
    base: str  # root | adjective
    kinds: frozenset[str]
    weight: float


def _rows(file: str) -> list[dict[str, str]]:
    text = resources.files("shomar.demo.data").joinpath(file).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _key(persian: str) -> str:
    return persian.replace(ZWNJ, "").replace(" ", "")


def _listed_boundary(text: str) -> int:
    """Where a listed compound (محمدرضا, علیرضا, امیرحسین) may be split by a space."""
    for prefix in ("محمد", "علی", "امیر", "عبد"):
        if text.startswith(prefix) and len(text) > len(prefix) + 2 and ZWNJ not in text:
            return 0 if text[len(prefix):].startswith("ال") else len(prefix)
    return 0


def _listed(file: str) -> list[Name]:
    return [Name(r["persian"], tuple(r["latin"].split("|")), float(r["weight"]), r.get("sex", ""),
                 _listed_boundary(r["persian"])) for r in _rows(file)]


def _spellings(heads: tuple[str, ...], tails: tuple[str, ...], apart: str | None = None) -> tuple[str, ...]:
    """Head and tail spellings joined, the usual pair first, then by how unusual each part is;
    ``apart`` adds the usual pair written as two words (Hasan Zadeh) at the end."""
    pairs = sorted(product(range(len(heads)), range(len(tails))), key=sum)
    out = list(dict.fromkeys(_join_latin(heads[i], tails[j]) for i, j in pairs))[:MAX_SPELLINGS]
    if apart is not None:
        out.append(heads[0] + apart + tails[0].strip().capitalize())
    return tuple(dict.fromkeys(out))


def _join_latin(head: str, tail: str) -> str:
    """Two parts as one word, hyphenated where joining would make a digraph the parts do not
    have (Abbas + hojati is Abbas-Hojati, not Abbashojati, read as عباش…)."""
    if head and tail[:1] == "h" and head[-1] in "skgzc":
        return f"{head}-{tail.capitalize()}"
    return head + tail


def _pool(listed: list[Name], recipes: list[_Recipe], weights: list[float], composed_share: float,
          sex: str = "") -> NamePool:
    """Listed names with their weights, then each distinct composed name with the sum of its
    recipes' ``weights``; composed names a list holds are dropped."""
    taken = {_key(n.persian) for n in listed}
    index: dict[str, int] = {}
    kept: list[_Recipe] = []
    summed: list[float] = []
    for r, w in zip(recipes, weights, strict=True):
        k = _key(r.persian)
        if k in taken:
            continue
        if k in index:
            summed[index[k]] += w
        else:
            index[k] = len(kept)
            kept.append(r)
            summed.append(w)
    w_listed = np.array([n.weight for n in listed])
    if not kept:
        return NamePool(tuple(listed), (), w_listed / w_listed.sum(), sex)
    w_composed = np.array(summed)
    p = np.concatenate([(1 - composed_share) * w_listed / w_listed.sum(),
                        composed_share * w_composed / w_composed.sum()])
    return NamePool(tuple(listed), tuple(kept), p, sex)


# --- given names -----------------------------------------------------------------------------


def _compound_given() -> list[_Recipe]:
    groups: dict[str, dict[str, list[dict[str, str]]]] = {}
    for r in _rows("given_parts.csv"):
        groups.setdefault(r["group"], {"first": [], "second": []})[r["slot"]].append(r)
    out = []
    for parts in groups.values():
        total_second = sum(float(s["weight"]) for s in parts["second"])
        for first, second in product(parts["first"], parts["second"]):
            if first["persian"] == second["persian"]:
                continue
            zwnj = second["joint"] == "zwnj"
            out.append(_Recipe(
                first["persian"] + (ZWNJ if zwnj else "") + second["persian"],
                float(first["weight"]) * float(second["weight"]) / total_second,
                tuple(first["latin"].split("|")), tuple(t.lower() for t in second["latin"].split("|")),
                " " if second["latin"][0].isupper() else None, 0 if zwnj else len(first["persian"])))
    return out


@lru_cache(maxsize=2)
def given_pool(sex: str) -> NamePool:
    """Given names of one sex ("m" or "f"): listed names, and for men compounds of two parts."""
    listed = [n for n in _listed("given_names.csv") if n.sex == sex]
    compounds = _compound_given() if sex == "m" else []
    return _pool(listed, compounds, [r.weight for r in compounds], GIVEN_COMPOSED_SHARE, sex)


# --- family names ----------------------------------------------------------------------------


def _roots() -> list[_Root]:
    is_root = {r["persian"] for r in _rows("given_names.csv") if r["root"] == "1"}
    roots = [_Root(Name(n.persian, n.latin, n.weight ** BASE_EXPONENT), "given")
             for n in _listed("given_names.csv")
             if n.persian in is_root and not n.boundary and ZWNJ not in n.persian
             and not n.persian.startswith(("عبد", "ابو"))]
    table = [_Root(Name(r["persian"], tuple(r["latin"].split("|")), float(r["weight"])), r["kind"])
             for r in _rows("family_roots.csv")]
    pairs = [(m.name, h.name) for m, h in product(table, table)  # not زر + رو: a doubled letter
             if m.kind == "modifier" and h.kind == "head" and m.name.persian[-1] != h.name.persian[0]]
    mean = sum(m.weight * h.weight for m, h in pairs) / len(pairs)
    compounds = [_Root(Name(m.persian + h.persian, _spellings(m.latin, h.latin),
                            COMPOUND_ROOT_WEIGHT * m.weight * h.weight / mean), "compound")
                 for m, h in pairs]
    return roots + [r for r in table if r.kind not in ("modifier", "head")] + compounds


def _adjective(root: Name) -> Name | None:
    """The adjective in ی of a root: حسن → حسنی (Hasani), رضا → رضایی (Rezaei); none after ی or ه."""
    if root.persian.endswith(("ی", "ه")):
        return None
    if root.persian.endswith(("ا", "و")):
        return Name(root.persian + "یی", _spellings(root.latin, ("ei", "ee", "yi")), root.weight)
    return Name(root.persian + "ی", _spellings(root.latin, ("i",)), root.weight)


def _affixes() -> list[_Affix]:
    return [_Affix(r["persian"], tuple(r["latin"].split("|")) if r["latin"] else ("",), r["joint"],
                   r["position"], r["base"], frozenset(r["kinds"].split("|")), float(r["weight"]))
            for r in _rows("family_affixes.csv")]


def _attach(affix: _Affix, base: Name, head: _Affix | None = None) -> _Recipe | None:
    """An affix (or, for a root prefix, ``head``) on a base; None where it would make no name."""
    head = head or affix
    if head.persian and head.persian in base.persian:
        return None  # ملک‌ملکی, میرمیرزایی
    sep = _JOINERS[affix.joint]
    if affix.position == "before":  # پور + محمدی → پورمحمدی, Pourmohammadi
        return _Recipe(head.persian + sep + base.persian, base.weight,
                       tuple(t.capitalize() for t in head.latin), tuple(h.lower() for h in base.latin),
                       " " if affix.joint == "zwnj" else None)
    persian, heads = base.persian, base.latin
    if affix.base == "adjective" and affix.persian.startswith("ی"):  # کریمی + یان → کریمیان
        persian = persian[:-1]
        heads = tuple(dict.fromkeys(h[:-1] if h[-1] in "iey" else h for h in heads))
    if affix.joint == "space":  # two words: Hosseini Moghaddam, Hosseini-Moghaddam
        return _Recipe(persian + sep + affix.persian, base.weight, heads,
                       tuple(" " + t.capitalize() for t in affix.latin), "-")
    # Hasanzadeh, Hassanzadeh, …, and Hasan Zadeh where Persian may write a ZWNJ.
    return _Recipe(persian + sep + affix.persian, base.weight, heads, affix.latin,
                   " " if affix.joint == "zwnj" else None)


def _adjective_recipe(adjective: Name) -> _Recipe:
    return _Recipe(adjective.persian, adjective.weight, adjective.latin, ("",))


def _composed_families(listed: list[Name]) -> tuple[list[_Recipe], list[float]]:
    """Every composed recipe and its weight: the affix row's weight shared by its bases."""
    roots = _roots()
    listed_adjectives = [Name(n.persian, n.latin, n.weight ** BASE_EXPONENT) for n in listed
                         if n.persian.endswith("ی") and ZWNJ not in n.persian
                         and n.persian not in HONORIFICS]  # مشهدی is a title before a name
    by_root = {r.name.persian: _adjective(r.name) for r in roots}
    # Compound roots take ی or nothing, not a second affix (no ملک‌نیکروزی).
    root_adjectives = [a for r in roots if r.kind != "compound" and (a := by_root[r.name.persian])]
    adjectives = []
    for group, share in ((listed_adjectives, LISTED_ADJECTIVE_SHARE),
                         (root_adjectives, 1 - LISTED_ADJECTIVE_SHARE)):
        total = sum(n.weight for n in group)
        adjectives += [Name(n.persian, n.latin, share * n.weight / total) for n in group]
    given_adjectives = [a for r in roots if r.kind == "given" and (a := by_root[r.name.persian])]
    out: list[_Recipe] = []
    weights: list[float] = []
    for affix in _affixes():
        bases = [r.name for r in roots if r.kind in affix.kinds]
        if affix.persian == "ی":
            made = [_adjective_recipe(a) for b in bases if (a := by_root[b.persian]) is not None]
        elif affix.base == "root":
            made = [r for b in bases if (r := _attach(affix, b)) is not None]
        elif affix.persian:
            made = [r for b in adjectives if (r := _attach(affix, b)) is not None]
        else:  # a root before an adjective of a given name: علی + محمدی → علی‌محمدی
            heads = [(_Affix(p.persian, p.latin, *affix[2:]), p.weight) for p in bases]
            made = [r._replace(weight=w * r.weight) for (h, w), b in product(heads, given_adjectives)
                    if (r := _attach(affix, b, h)) is not None]
        scale = affix.weight / sum(r.weight for r in made)
        out += made
        weights += [scale * r.weight for r in made]
    return out, weights


@lru_cache(maxsize=1)
def family_pool() -> NamePool:
    """Family names: the listed ones, then roots and adjectives with a suffix or prefix."""
    listed = _listed("family_names.csv")
    return _pool(listed, *_composed_families(listed), FAMILY_COMPOSED_SHARE)
