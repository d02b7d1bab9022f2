"""Record linkage on Splink (DuckDB embedded): records in, people out. Never touches storage."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from shomar.link.beside import Beside
from shomar.link.blocking import check_budget, explain_blocking
from shomar.link.cluster import constrained_clusters
from shomar.link.diagnostics import cluster_diagnostics
from shomar.link.evaluate import LinkEvaluation, evaluate, per_threshold
from shomar.link.settings import LinkSettings

__all__ = ["LinkEvaluation", "LinkResult", "LinkSettings", "evaluate", "explain_blocking", "link_records",
           "per_threshold"]


@dataclass(frozen=True)
class LinkResult:
    clusters: pd.DataFrame  # record_uid, source, record_id, person_id
    pairs: pd.DataFrame  # uid_l, uid_r, match_probability, match_weight, mw_<comparison>
    settings: LinkSettings
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    diagnostics: dict[str, Any] = field(default_factory=dict)
    model: dict[str, Any] = field(default_factory=dict, repr=False)
    pairs_scored: int = 0  # all blocked pairs; ``pairs`` keeps those that can matter

    def review_queue(self, decided: pd.DataFrame | None = None) -> pd.DataFrame:
        """Pairs in the review band, most uncertain (closest to 0.5, i.e. to weight 0) first."""
        band = self.pairs[(self.pairs["match_probability"] >= self.settings.review_threshold)
                          & (self.pairs["match_probability"] < self.settings.review_ceiling)]
        if decided is not None and len(decided):
            done = set(zip(decided["uid_l"], decided["uid_r"], strict=True))
            band = band[[(a, b) not in done and (b, a) not in done
                         for a, b in zip(band["uid_l"], band["uid_r"], strict=True)]]
        # Ties broken by record ids: pairs leave DuckDB in no fixed order.
        order = band.assign(_uncertainty=band["match_weight"].abs()).sort_values(
            ["_uncertainty", "uid_l", "uid_r"], kind="stable").index
        return band.loc[order].reset_index(drop=True)

    def summary(self) -> dict[str, Any]:
        sizes = self.clusters.groupby("person_id").size()
        return {"records": len(self.clusters), "people": int(sizes.size),
                "largest_cluster": int(sizes.max()) if len(sizes) else 0,
                "pairs_scored": self.pairs_scored or len(self.pairs), "threshold": self.settings.match_threshold,
                "training": self.notes, "seconds": round(self.seconds, 2),
                "oversized_clusters": len(self.diagnostics.get("oversized", [])),
                "people_with_conflicting_dates": len(self.diagnostics.get("conflicting_dates", []))}


def link_records(records: pd.DataFrame, *, settings: LinkSettings | None = None,
                 decisions: pd.DataFrame | None = None,
                 progress: Callable[[str], None] | None = None,
                 features: pd.DataFrame | None = None) -> LinkResult:
    """Link records (one row each, ``record_uid`` unique) into people. ``features`` may carry
    ``derive_features(records)`` from an earlier call on the same records (a review session
    re-links after every batch; deriving the keys is the slowest step at scale)."""
    settings = settings or LinkSettings()
    say = progress or (lambda _m: None)
    started = time.perf_counter()
    u_from = None
    # Features of other records (or in another order) are not trusted: derived afresh.
    if features is None or features["unique_id"].tolist() != records["record_uid"].astype(str).tolist():
        features, u_from = _features_and_u(records, settings, say)
    check_budget(features, settings)
    notes, model, pairs, scored, em_check = _train_and_score(features, settings, _labels(decisions), say, u_from)
    try:
        say("clustering records into people" + (" (EM cross-check meanwhile)" if em_check else ""))
        if em_check is not None:
            em_check.start()
        clusters = constrained_clusters(records, pairs, threshold=settings.match_threshold,
                                        decisions=decisions)
        diagnostics = cluster_diagnostics(clusters, records)
    finally:
        if em_check is not None:
            em_check.wait()
    if em_check is not None:
        notes.append(em_check.result())
    return LinkResult(clusters, pairs, settings, notes, time.perf_counter() - started,
                      diagnostics=diagnostics, model=model, pairs_scored=scored)


def _features_and_u(records: pd.DataFrame, settings: LinkSettings, say: Callable[[str], None],
                    ) -> tuple[pd.DataFrame, Any]:
    """The records' features, and a linker holding the u probabilities estimated beside their
    derivation on the records random sampling takes (None where it takes them all:
    ``shomar.link.u_sample``)."""
    from shomar.link.features import derive_features
    from shomar.link.u_sample import u_of_records, u_sample_rows

    rows = u_sample_rows(records["record_uid"].astype(str), settings.seed)
    if rows is None:
        say("deriving ASCII matching keys")
        return derive_features(records), None
    say("deriving ASCII matching keys (u probabilities estimated meanwhile)")
    beside = Beside(u_of_records, records, rows, settings)
    try:
        features = derive_features(records, meanwhile=beside.start)
    except BaseException:
        beside.wait()
        raise
    return features, beside.result()


def _train_and_score(features: pd.DataFrame, settings: LinkSettings, labels: pd.DataFrame | None,
                     say: Callable[[str], None], u_from: Any = None,
                     ) -> tuple[list[str], dict[str, Any], pd.DataFrame, int, Beside | None]:
    """Train on embedded DuckDB whatever the engine (u sampling goes by each backend's own hash),
    then score on the engine: every engine scores the very same model. ``u_from``: a linker
    holding the u probabilities already (``_features_and_u``). The EM cross-check only writes a
    note: it is given back to run beside the clustering (single-threaded, where scoring keeps
    every core busy), and its note is its result."""
    from shomar.link.engines import open_engine
    from shomar.link.model import build_linker, em_cross_check, predict, train

    engine = open_engine(settings.engine, spark_master=settings.spark_master)
    em_check = None
    try:
        linker = build_linker(features, settings)
        notes = train(linker, labels, settings, say, u_from=u_from)
        model = linker.misc.save_model_to_json(None)
        if settings.em_check:
            em_check = Beside(em_cross_check, features, settings, model)
        if not engine.trains_in_place:
            say(f"loading records into {engine.dialect}")
            linker = build_linker(features, settings, engine, model=model)
        say("scoring candidate pairs")
        pairs, scored = predict(linker, settings, engine)
    except Exception as e:
        failure = engine.failure(e)
        if failure is None:
            raise
        raise failure from e
    finally:
        engine.close()
    return notes, model, pairs, scored, em_check


def _labels(decisions: pd.DataFrame | None) -> pd.DataFrame | None:
    if decisions is None or len(decisions) == 0:
        return None
    decided = decisions[decisions["decision"].isin(["match", "non-match"])]
    return pd.DataFrame({
        "source_dataset_l": "records", "unique_id_l": decided["uid_l"],
        "source_dataset_r": "records", "unique_id_r": decided["uid_r"],
        "clerical_match_score": (decided["decision"] == "match").astype(float),
    })
