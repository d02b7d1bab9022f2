"""Linkage settings: fixed before a run, saved with its result."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LinkSettings:
    """How records are linked. The thresholds are fixed in advance, never tuned on a result."""

    match_threshold: float = 0.5
    """Match probability at or above which two records are linked automatically: "more likely the
    same person than not" (the Bayes decision when a false merge and a missed one cost the same,
    as they do for a count; see docs/decisions.md)."""
    review_threshold: float = 0.1
    """Lower end of the review band: pairs from here up to ``review_ceiling`` are doubtful either
    way and go to human review, most uncertain first."""
    review_ceiling: float = 0.9
    """Upper end of the review band (exclusive)."""
    pair_budget: int = 5_000_000
    """Refuse a blocking configuration generating more candidate pairs than this."""
    blocking_rules: tuple[str, ...] = field(default=(
        "l.name_sorted = r.name_sorted",
        # The whole-name consonant skeleton: both scripts, and compounds split or joined.
        "l.skel_joined = r.skel_joined",
        "l.family_skel = r.family_skel and l.date_year = r.date_year and l.province_code = r.province_code",
        "l.given_skel = r.given_skel and l.date_start = r.date_start",
        "l.name_skel = r.name_skel and l.province_code = r.province_code",
        # A record's other name (most often the same name in the other script) against the other
        # record's name or other name.
        "l.other_skel = r.skel_joined",
        "l.skel_joined = r.other_skel",
        "l.other_skel = r.other_skel",
    ))
    """SQL blocking rules on derived ASCII columns (a pair is scored if any rule holds)."""
    engine: str = "duckdb"
    """"duckdb" (embedded) or "spark" (needs the shomar[spark] extra and Java 17+). Both score the
    same model and give the same people; Spark is for scaling out, slower on one machine."""
    spark_master: str | None = None
    """Spark master URL (``spark://host:7077``, ``yarn``, ``local[8]``); None: ``local[2]``."""
    em_check: bool = True
    """Run EM beside the model and report where its m probabilities differ (never used to score)."""
    seed: int = 2024
    """Seed of the random sampling that estimates u probabilities."""
