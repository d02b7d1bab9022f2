"""The Fellegi–Sunter model on Splink: comparisons, blocking, training and scoring.

Model: Fellegi & Sunter (1969, JASA 64:1183) as implemented by Splink (Linacre et al. 2022). m
probabilities start from fixed priors (EM alone fails on real Persian data, shared/LINKAGE_NOTES.md)
and are corrected by the decisions reviewers have made (``shomar.link.learning``; EM runs beside
them as a reported cross-check, ``em_cross_check``); u probabilities come from random sampling; the prior
match probability from deterministic rules.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from shomar.errors import LinkError
from shomar.link.engines import DuckDBEngine, Engine
from shomar.link.learning import learn_from_labels
from shomar.link.settings import LinkSettings

Progress = Callable[[str], None]
# Random pairs sampled to estimate u: enough that a level agreeing once in a million non-matching
# pairs is seen. A level never seen gets Splink's u of 1e-6, above the 6e-7 (3 in 5 million) that
# so many unseen pairs bound it by, so its evidence is if anything understated (with the 2e5 pairs
# used before, the bound was 1.5e-5 and 1e-6 overstated it).
U_SAMPLE_PAIRS = 5e6
# Splink labels its else level so; a partial date outside the other record's date is ours.
ELSE_LABEL = "All other comparisons"
INCOMPATIBLE_DATE = "partial date, incompatible"
MISSING_LABELS = ("missing on both sides", "missing on one side")
# Levels with one Bayes factor until review answers separate them: their prior m is shared in
# proportion to their u.
ALIKE_LEVELS = (("both year only, same busy year", "one year only, same busy year"),
                ("both year only, same quiet year", "one year only, same quiet year"))


def _suffixed(sql: str) -> str:
    """Splink 5 comparison SQL names columns ``x_l``/``x_r`` (blocking rules keep ``l.x``)."""
    return re.sub(r"\b([lr])\.([a-z_]+)", r"\2_\1", sql)


def _level(sql: str, label: str, m: float, tf: str | None = None, tf_own_u: bool = False) -> Any:
    import splink.comparison_level_library as cll

    level = cll.CustomLevel(_suffixed(sql), label_for_charts=label)
    if tf is not None:
        # Term-frequency adjustment: agreeing on a common value (Mohammad Hosseini; a
        # mass-casualty day) is weaker evidence than agreeing on a rare one. Splink scales the u
        # of the comparison's exact-match level on that column, or this level's own (tf_own_u).
        return level.configure(m_probability=m, tf_adjustment_column=tf, tf_adjustment_weight=1.0,
                               disable_tf_exact_match_detection=tf_own_u)
    return level.configure(m_probability=m)


def _alias_overlap(m: float) -> Any:
    from splink.internals.comparison_level_creator import ComparisonLevelCreator

    class AliasOverlapLevel(ComparisonLevelCreator):
        """The alias lists share a skeleton. Splink's ArrayIntersectLevel builds the intersection
        (``array_length(list_intersect(..)) >= 1``), which costs two thirds of the name
        comparison on the random pairs u is sampled from; asking whether any element is shared
        says the same of lists without missing elements, which alias lists never hold.

        Only a record with aliases besides its name's skeleton (``has_aliases``) can share one
        with a record whose skeleton differs, and every pair reaching this level has differing
        skeletons (the levels before it take equal ones): the flag, a boolean, spares the lists
        of the millions of pairs where neither record has one."""

        def create_sql(self, sql_dialect: Any) -> str:
            function = "list_has_any" if sql_dialect.sql_dialect_str == "duckdb" else "arrays_overlap"
            return f"(has_aliases_l OR has_aliases_r) AND {function}(alias_skels_l, alias_skels_r)"

        def create_label_for_charts(self) -> str:
            return "an alias's skeleton agrees"

    return AliasOverlapLevel().configure(m_probability=m)


def _null(column: str) -> Any:
    """Splink's null level: a missing value is never weighed (the name: a record always has one)."""
    import splink.comparison_level_library as cll

    sql = _suffixed(f"l.{column} IS NULL OR r.{column} IS NULL")
    return cll.CustomLevel(sql, label_for_charts="missing").configure(is_null_level=True)


def _missing(column: str, *, both: str | None = None, either: str | None = None) -> list[Any]:
    """A field missing on both sides, and on one: levels of their own, each with a Bayes factor of
    1 until review answers say otherwise. Missing values can say something: a second source's
    name-only entries are often duplicates of full records, and two records that both lack a
    field come from the same kind of source."""
    import splink.comparison_level_library as cll

    both = both or f"l.{column} IS NULL AND r.{column} IS NULL"
    either = either or f"l.{column} IS NULL OR r.{column} IS NULL"
    return [cll.CustomLevel(_suffixed(sql), label_for_charts=label).configure(m_probability=1.0)
            for sql, label in zip((both, either), MISSING_LABELS, strict=True)]


def _jw(columns: str | tuple[str, ...], threshold: float, label: str, m: float, *,
        equal: str | None = None) -> Any:
    """Jaro-Winkler at or above ``threshold`` on every one of ``columns`` (and, with ``equal``,
    that column equal), from Splink's library: each backend gets its own function name
    (``jaro_winkler_similarity`` on DuckDB, the engine's ``jaro_winkler`` on Spark)."""
    import splink.comparison_level_library as cll

    levels: list[Any] = [cll.JaroWinklerLevel(c, threshold)
                         for c in ((columns,) if isinstance(columns, str) else columns)]
    if equal is not None:
        levels.insert(0, cll.ExactMatchLevel(equal))
    level = levels[0] if len(levels) == 1 else cll.And(*levels)
    return level.configure(m_probability=m, label_for_charts=label)


def _else(m: float) -> Any:
    import splink.comparison_level_library as cll

    return cll.ElseLevel().configure(m_probability=m)


def name_priors(cross_script: float) -> tuple[float, float]:
    """m of "same name key" and of "same skeleton across scripts", from the share of record pairs
    written in two scripts (2·f·(1 − f) for a share f of Persian-script names).

    Within one script nearly every match shares the key (0.93 on the real memorial set's silver
    pairs, 96% of them); across scripts most share only the consonant skeleton (0.75, measured
    on the demo's cross-script pairs, where names outside the name table romanise letter by
    letter). The mixture is the prior; labelled pairs replace it when there are any.
    """
    return (1 - cross_script) * 0.93 + cross_script * 0.15, (1 - cross_script) * 0.02 + cross_script * 0.75


def cross_script_share(features: pd.DataFrame) -> float:
    share = float((features["script"] == "fa").mean()) if len(features) else 0.5
    return 2 * share * (1 - share)


def comparisons(cross_script: float = 0.5) -> list[Any]:
    m_key, m_skeleton = name_priors(cross_script)
    year_only = "(l.date_precision = 'year' OR r.date_precision = 'year')"
    partial = "(l.date_precision <> 'day' OR r.date_precision <> 'day')"
    both_year_only = "(l.date_precision = 'year' AND r.date_precision = 'year')"
    overlap = "l.date_day <= r.date_day_end AND r.date_day <= l.date_day_end"
    return [
        _comparison("name", [
            _null("name_key"),
            _level("l.name_key = r.name_key", "same name key", m_key, tf="name_key"),
            _level("l.name_sorted = r.name_sorted", "same tokens, other order", 0.03),
            # Across scripts the vowels differ and the consonants agree: the skeleton is the key.
            # Within one script a skeleton without the key is a real difference (محمد/محمود and
            # Hasan/Hossein share theirs), so that level is weak and adjusted by the skeleton's own
            # frequency (حسنی/حسینی collide because both are common). It comes first because
            # Splink's term-frequency adjustment of the cross-script level needs a plain equality.
            _level("l.skel_joined = r.skel_joined AND l.script = r.script",
                   "same consonant skeleton, same script", 0.02, tf="skel_joined", tf_own_u=True),
            _level("l.skel_joined = r.skel_joined", "same consonant skeleton across scripts", m_skeleton,
                   tf="skel_joined"),
            _level("l.name_skel = r.name_skel", "same skeletons, other order or split", 0.04),
            # "Ayub (Ribaz) Salehivand" is also Ribaz Salehivand.
            _alias_overlap(0.02),
            # Typos: the whole name one letter apart while one part agrees (brothers differ by a
            # whole given name: Hadi/Mahdi Karami must not look like a typo; the last word alone
            # is not the family name: Haghighi Fard is not a typo of Dorud).
            _level("l.given_skel = r.given_skel AND length(l.skel_joined) >= 6 "
                   "AND levenshtein(l.skel_joined, r.skel_joined) <= 1",
                   "family name one letter apart", 0.06),
            _level("l.family_skel = r.family_skel AND length(l.given_skel) >= 4 "
                   "AND levenshtein(l.skel_joined, r.skel_joined) <= 1",
                   "given name one letter apart", 0.02),
            # Given names are a closed list whose members look alike (Jalal/Jalil, Shamel/Amel):
            # only the family name may be spelled differently.
            _jw("family_key", 0.9, "same given name, family name JW ≥ 0.9", 0.03, equal="given_key"),
            # A person's name rarely disagrees completely across lists (shared/LINKAGE_NOTES.md).
            _else(0.01),
        ]),
        _comparison("date", [
            *_missing("date_day"),
            # A year- or month-only date says little about the day: compatible or not, never a
            # disagreement on the day. The same year is weak evidence in a year holding many of
            # the deaths (1988, a protest wave) and stronger in a quiet one: two levels, each with
            # its own u.
            # Both dates year-only (two imprecise sources) and one of them (a precise date against
            # a year) are levels of their own, alike until review answers tell them apart
            # (``_alike_until_answered``).
            _level(f"{both_year_only} AND {overlap} AND l.busy_year", "both year only, same busy year", 0.015),
            _level(f"{both_year_only} AND {overlap}", "both year only, same quiet year", 0.015),
            _level(f"{year_only} AND {overlap} AND l.busy_year", "one year only, same busy year", 0.015),
            _level(f"{year_only} AND {overlap}", "one year only, same quiet year", 0.015),
            _level(f"{partial} AND {overlap}", "month only, same month", 0.2),
            _level(partial, INCOMPATIBLE_DATE, 0.02),
            _level("l.date_start = r.date_start", "same day", 0.65, tf="date_start"),
            _level("abs(l.date_day - r.date_day) <= 3", "within 3 days", 0.05),
            _else(0.03),
        ]),
        _comparison("birth_year", [
            # A birth year needs an age; without a date of death the age itself still compares.
            *_missing("age", either="(l.birth_year IS NULL OR r.birth_year IS NULL) AND (l.age IS NULL OR r.age IS NULL)"),
            _level("abs(l.birth_year - r.birth_year) <= 1", "birth year ±1", 0.85),
            _level("abs(l.birth_year - r.birth_year) <= 3", "birth year ±3", 0.08),
            # Without a date of death on one side the age at death still compares.
            _level("(l.birth_year IS NULL OR r.birth_year IS NULL) AND abs(l.age - r.age) <= 1",
                   "same age, a date missing", 0.05),
            _else(0.07),
        ]),
        _comparison("province", [
            *_missing("province_code"),
            _level("l.province_code = r.province_code", "same province", 0.92),
            _else(0.08),
        ]),
        _comparison("father", [
            *_missing("father_key"),
            _level("l.father_key = r.father_key", "same father's name", 0.85),
            _jw("father_key", 0.9, "father's name JW ≥ 0.9", 0.07),
            _else(0.08),
        ]),
        _comparison("sex", [
            *_missing("sex"),
            _level("l.sex = r.sex", "same sex", 0.97),
            _else(0.03),
        ]),
    ]


def _comparison(name: str, levels: list[Any]) -> Any:
    """A comparison whose levels' prior m probabilities are rescaled to sum to 1 (the levels
    state relative weights; a derived prior such as ``name_priors`` need not balance them)."""
    from splink.comparison_library import CustomComparison

    weighted = [level for level in levels if getattr(level, "m_probability", None) is not None
                and getattr(level, "label_for_charts", None) not in MISSING_LABELS]
    total = sum(level.m_probability for level in weighted)
    for level in weighted:
        level.m_probability = level.m_probability / total
    return CustomComparison(output_column_name=name, comparison_levels=levels)


def build_linker(features: pd.DataFrame, settings: LinkSettings, engine: Engine | None = None, *,
                 model: dict[str, Any] | None = None) -> Any:
    """A Splink linker over ``features`` on ``engine`` (a new DuckDB one when none is given),
    untrained, or carrying the parameters of ``model`` (a trained linker's
    ``misc.save_model_to_json``) on this engine's rendering of the same comparisons."""
    from splink import Linker, SettingsCreator

    engine = engine or DuckDBEngine()
    creator = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons(cross_script_share(features)),
        blocking_rules_to_generate_predictions=[{"blocking_rule": r} for r in settings.blocking_rules],
        # Each comparison's match weight (Splink 5's mw_*) is what the review screen shows as
        # "which fields agree"; Splink only writes it with the intermediate columns, of which
        # predict() keeps those alone.
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
        additional_columns_to_retain=["source_dataset", "is_placeholder"],
    )
    spec: Any = creator
    if model is not None:
        spec = with_parameters(creator.create_settings_dict(engine.dialect), model)
    # Splink warns at predict() about levels random sampling never met (see U_SAMPLE_PAIRS): not
    # a user's concern.
    logging.getLogger("splink").setLevel(logging.ERROR)
    return Linker(engine.register(features), spec, log_level=logging.ERROR)


def with_parameters(rendered: dict[str, Any], model: dict[str, Any]) -> dict[str, Any]:
    """``model``'s trained parameters (m, u, λ, term-frequency settings) on the SQL of
    ``rendered``: the same comparisons rendered for another dialect, level for level."""
    comparisons = []
    for target, trained in zip(rendered["comparisons"], model["comparisons"], strict=True):
        levels = []
        for level, fitted in zip(target["comparison_levels"], trained["comparison_levels"], strict=True):
            if level.get("label_for_charts") != fitted.get("label_for_charts"):
                raise LinkError(f"the trained model does not match the comparisons: level "
                                f"{fitted.get('label_for_charts')!r} vs {level.get('label_for_charts')!r}")
            levels.append({**fitted, "sql_condition": level["sql_condition"]})
        comparisons.append({**trained, "comparison_levels": levels})
    return {**model, "comparisons": comparisons,
            "blocking_rules_to_generate_predictions": rendered["blocking_rules_to_generate_predictions"]}


def train(linker: Any, labels: pd.DataFrame | None, settings: LinkSettings, progress: Progress, *,
          u_from: Any = None) -> list[str]:
    """u by random sampling (or those of ``u_from``, a linker that estimated them on the records
    that sampling takes: ``shomar.link.u_sample``), λ from deterministic rules, m from the
    documented priors, corrected by review decisions when there are any (``shomar.link.learning``)."""
    notes = []
    if u_from is None:
        progress("estimating u probabilities by random sampling")
        linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=settings.seed)
    else:
        _adopt_u(linker, u_from)
    _neutral_missing(linker._settings_obj)
    _alike_until_answered(linker._settings_obj)
    try:
        linker.training.estimate_probability_two_random_records_match(
            ["l.name_key = r.name_key AND l.date_start = r.date_start AND l.date_precision = 'day'"],
            recall=0.6,
        )
        notes.append("prior match probability from exact name + day rule (recall 0.6 assumed)")
    except Exception as e:  # too few deterministic matches on tiny data: keep a neutral prior
        notes.append(f"prior match probability left at default ({type(e).__name__})")
    settings_obj = linker._settings_obj
    if not 0 < settings_obj._probability_two_random_records_match < 1:
        # No deterministic match at all (tiny or unusual data): a 1-in-1000 prior is
        # conservative that still lets strong evidence link.
        settings_obj._probability_two_random_records_match = 1 / 1000
        notes.append("prior match probability set to 1/1000 (no deterministic matches found)")
    capped = _cap_disagreements(linker._settings_obj)
    if labels is not None and len(labels):
        progress("correcting the model by the review decisions")
        notes.append(learn_from_labels(linker, labels))
        capped = sorted(set(capped) | set(_cap_disagreements(linker._settings_obj)))
    else:
        notes.append("m probabilities: documented priors (no review decisions yet)")
    if capped:
        notes.append(f"disagreement made neutral where it was as rare among non-matches as among matches: {capped}")
    return notes


DISAGREEMENT_LEVELS = (ELSE_LABEL, INCOMPATIBLE_DATE)


def _adopt_u(linker: Any, trained: Any) -> None:
    """The u probabilities ``trained`` (a linker on the same comparisons) estimated, as if this
    linker had estimated them."""
    pairs = zip(linker._settings_obj.comparisons, trained._settings_obj.comparisons, strict=True)
    for comparison, done in pairs:
        levels = zip(comparison._comparison_levels_excluding_null, done._comparison_levels_excluding_null, strict=True)
        for level, fitted in levels:
            if level.label_for_charts != fitted.label_for_charts:
                raise LinkError(f"u probabilities from other comparisons: level {fitted.label_for_charts!r} "
                                f"vs {level.label_for_charts!r}")
            level._trained_u_probabilities.extend(fitted._trained_u_probabilities)
    linker._populate_m_u_from_trained_values()


def _neutral_missing(settings_obj: Any) -> None:
    """A missing field starts as no evidence either way: m = u (a Bayes factor of 1), and the
    other levels' m, priors stated among pairs with both values, scaled by the share of pairs
    with both: random sampling estimates their u among all pairs, missing ones included."""
    for comparison in settings_obj.comparisons:
        levels = [lv for lv in comparison.comparison_levels if not lv.is_null_level]
        missing = [lv for lv in levels if lv.label_for_charts in MISSING_LABELS]
        if not missing:
            continue
        share = sum(lv.u_probability or 0.0 for lv in missing)
        for level in missing:
            level.m_probability = level.u_probability = level.u_probability or 1e-6
        for other in levels:
            # A term-frequency adjusted level's Bayes factor is m over its value's frequency among
            # present values (with weight 1): its m stays as stated.
            if other not in missing and other.m_probability is not None and not other._has_tf_adjustments:
                other.m_probability *= max(1.0 - share, 1e-12)  # a field never present: any m


def _alike_until_answered(settings_obj: Any) -> None:
    """Each group of ``ALIKE_LEVELS`` gets one Bayes factor: its levels' summed m shared out in
    proportion to their u."""
    for comparison in settings_obj.comparisons:
        by_label = {lv.label_for_charts: lv for lv in comparison.comparison_levels if not lv.is_null_level}
        for group in ALIKE_LEVELS:
            levels = [by_label[label] for label in group if label in by_label]
            if len(levels) < len(group) or any(lv.u_probability is None for lv in levels):
                continue  # a level random sampling never met keeps its stated m
            m_total = sum(lv.m_probability for lv in levels)
            u_total = sum(lv.u_probability for lv in levels)
            for level in levels:
                level.m_probability = m_total * level.u_probability / u_total


def _cap_disagreements(settings_obj: Any) -> list[str]:
    """A disagreement is never evidence for a match: where a disagreement level's m exceeds its
    u (it happens when almost every record shares a value, so random pairs rarely disagree, e.g.
    a list whose deaths all fall in one year), its m is lowered to u, a Bayes factor of 1."""
    capped = []
    for comparison in settings_obj.comparisons:
        for level in comparison.comparison_levels:
            if level.is_null_level or level.label_for_charts not in DISAGREEMENT_LEVELS:
                continue
            m, u = level.m_probability, level.u_probability
            if m is not None and u is not None and m > u:
                level.m_probability = u
                capped.append(f"{comparison.output_column_name}: {level.label_for_charts}")
    return capped


def predict(linker: Any, settings: LinkSettings, engine: Engine | None = None) -> tuple[pd.DataFrame, int]:
    """The blocked pairs clustering and review can use, with probability and each comparison's
    match weight (``mw_<comparison>``, term-frequency adjustment included: positive when the field
    speaks for a match, negative against, 0 when missing), and how many pairs were scored.

    Kept: every pair at or above the review floor, and the low-scoring pairs between records that
    have such a pair (low scores are evidence too: they stop chains in clustering, and only records
    with a strong pair are ever merged). The other low pairs cannot change a clustering at any
    threshold from the floor up, so they never leave the engine; the kept columns get compact dtypes.
    """
    engine = engine or DuckDBEngine()
    table = linker.inference.predict()
    floor = min(settings.review_threshold, 0.5)
    names = [c.unquote().name for c in table.columns]
    weights = [n for n in names if n.startswith("mw_") and not n.startswith("mw_tf_adj_")]
    per_comparison = [(f"{w} + {t}" if (t := "mw_tf_adj_" + w[3:]) in names else w) + f" AS {w}"
                      for w in weights]
    wanted = ["unique_id_l", "unique_id_r", "source_dataset_l", "source_dataset_r", "match_probability",
              "match_weight", "is_placeholder_l", "is_placeholder_r", *per_comparison]
    scored = int(engine.frame(table, "SELECT count(*) AS n FROM {table}")["n"].iloc[0])
    # Portable SQL: the same text runs on DuckDB and Spark.
    frame = engine.frame(table, f"""
        WITH strong AS (
            SELECT unique_id_l AS uid FROM {{table}} WHERE match_probability >= {floor}
            UNION SELECT unique_id_r FROM {{table}} WHERE match_probability >= {floor})
        SELECT {", ".join(wanted)} FROM {{table}}
        WHERE match_probability >= {floor}
           OR (unique_id_l IN (SELECT uid FROM strong) AND unique_id_r IN (SELECT uid FROM strong))
        """)
    frame["match_probability"] = frame["match_probability"].astype("float32")
    frame["match_weight"] = frame["match_weight"].astype("float32")
    lists = pd.CategoricalDtype(sorted(set(frame["source_dataset_l"].unique().tolist())
                                       | set(frame["source_dataset_r"].unique().tolist())))
    for column in ("source_dataset_l", "source_dataset_r"):
        frame[column] = frame[column].astype(lists)
    for column in weights:
        frame[column] = frame[column].astype("float32")
    return frame.rename(columns={"unique_id_l": "uid_l", "unique_id_r": "uid_r"}), scored


# EM's cross-check sees at most this many pairs (Splink samples records to stay near it).
EM_CHECK_PAIRS = 200_000


def em_cross_check(features: pd.DataFrame, settings: LinkSettings, model: dict[str, Any]) -> str:
    """A note comparing the model's m probabilities with what EM estimates, never used to score.

    EM (Splink's, u fixed) runs on the pairs sharing a whole-name consonant skeleton, so it
    estimates every comparison but the name; EM alone fails on Persian data when it also has to
    learn the name comparison (shared/LINKAGE_NOTES.md), which is why the model does not use it.
    A large difference says the documented priors (or the labels) and this data disagree.
    """
    from shomar.link.blocking import pairs_per_rule

    rule = "l.skel_joined = r.skel_joined"
    # Splink's sampling to a pair budget costs a pass of its own: only when the block is large.
    sample = EM_CHECK_PAIRS if pairs_per_rule(features, (rule,))[0] > EM_CHECK_PAIRS else None
    linker = build_linker(features, settings, model=model)
    try:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=sample)
    except Exception as e:  # EM cannot run on every data set (too few pairs, one value only)
        return f"EM cross-check not run ({type(e).__name__})"
    ours = {(c["output_column_name"], lv.get("label_for_charts")): lv.get("m_probability")
            for c in model["comparisons"] for lv in c["comparison_levels"]}
    gaps = []
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            key = (comparison.output_column_name, level.label_for_charts)
            m_em, m_model = (None if level.is_null_level else level.m_probability), ours.get(key)
            if m_em is not None and m_model is not None and comparison.output_column_name != "name":
                gaps.append((abs(m_em - m_model), f"{key[0]} '{key[1]}' {m_model:.2f} → {m_em:.2f}"))
    gaps.sort(reverse=True)
    largest = "; ".join(text for _, text in gaps[:3]) or "no comparable levels"
    return f"EM cross-check on pairs sharing a name skeleton (m, model → EM): {largest}"
