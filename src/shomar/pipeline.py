"""Joins the stages: workspace records → linkage → capture table → estimate → report.

The stages never touch storage; this module is the only place that reads from the store, calls a
stage, and writes its result back (with provenance: who, which settings, which data snapshot).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shomar.errors import ConfigError, InputError, ShomarError

if TYPE_CHECKING:
    import pandas as pd

    from shomar.estimate import CaptureTable, EstimateResult

Progress = Callable[[str], None]


def current_user() -> str:
    """Who is acting, for the audit log: $SHOMAR_USER, else the login name."""
    try:
        return os.environ.get("SHOMAR_USER") or getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def open_ws(workspace: str | Path) -> Any:
    from shomar.storage import open_workspace

    return open_workspace(Path(workspace))


# --- import -------------------------------------------------------------------------------------


def import_file(
    workspace: str | Path,
    path: str | Path,
    *,
    source: str,
    map_path: str | Path | None = None,
    user: str | None = None,
) -> Any:
    """Read one source file (pure) and append its records to the store in one transaction."""
    from shomar.ingest import load_mapping, read_source

    ws = open_ws(workspace)
    mapping = load_mapping(Path(map_path)) if map_path is not None else None
    result = read_source(Path(path), source=source, mapping=mapping)
    summary = ws.store.import_records(result, source=source, user=user or current_user())
    return result, summary


# --- linkage ------------------------------------------------------------------------------------


def _decisions_for_linkage(store: Any) -> pd.DataFrame | None:
    decisions = store.match_decisions()
    if decisions is None or len(decisions) == 0:
        return None
    renames = {"uid_a": "uid_l", "uid_b": "uid_r"}
    return decisions.rename(columns={k: v for k, v in renames.items() if k in decisions.columns})


def run_link(
    workspace: str | Path,
    *,
    settings: Any = None,
    progress: Progress | None = None,
    user: str | None = None,
) -> Any:
    """Link every current record into people and save the result as a new linkage run."""
    from shomar.link import link_records

    ws = open_ws(workspace)
    records = ws.store.records_frame()
    if len(records) == 0:
        raise ConfigError("the workspace has no records yet: run `shomar import FILE --source NAME`")
    settings = settings or link_settings(workspace)
    result = link_records(
        records, settings=settings, decisions=_decisions_for_linkage(ws.store), progress=progress
    )
    saved = asdict(settings) if is_dataclass(settings) and not isinstance(settings, type) else dict(settings)
    decisions = _decisions_for_linkage(ws.store)
    training_hash = _training_hash(ws.store.data_hash(), decisions)
    run_id = ws.store.save_linkage(
        result.clusters[["record_uid", "person_id"]],
        settings=_jsonable({**saved, "training_data_hash": training_hash, "summary": result.summary()}),
        user=user or current_user(),
    )
    model_dir = Path(workspace) / "models"
    model_dir.mkdir(exist_ok=True)
    model = {"linkage_run": run_id, "training_data_hash": training_hash, "splink_model": result.model}
    _atomic_write_text(model_dir / f"linkage-{run_id}.json", json.dumps(model, ensure_ascii=False, indent=1, default=str))
    return result, run_id


def _training_hash(data_hash: str, decisions: pd.DataFrame | None) -> str:
    """The records and the review decisions the model was trained on."""
    digest = hashlib.sha256(data_hash.encode())
    if decisions is not None:
        for row in sorted(decisions[["uid_l", "uid_r", "decision"]].itertuples(index=False)):
            digest.update("\x1f".join(map(str, row)).encode())
    return digest.hexdigest()


def link_settings(workspace: str | Path, **overrides: Any) -> Any:
    """Linkage settings from the workspace's shomar.toml, with command-line overrides."""
    from dataclasses import replace

    from shomar.link import LinkSettings

    config = open_ws(workspace).config
    settings = LinkSettings(match_threshold=config.match_threshold, review_threshold=config.review_threshold,
                            review_ceiling=config.review_ceiling, pair_budget=config.pair_budget,
                            engine=config.engine, spark_master=config.spark_master or None)
    return replace(settings, **{k: v for k, v in overrides.items() if v is not None})


def latest_links(workspace: str | Path) -> pd.DataFrame:
    """``source, record_id, person_id`` (and ``record_uid``) of the latest linkage run."""
    links = open_ws(workspace).store.latest_linkage()
    if links is None or len(links) == 0:
        raise ShomarError("no linkage yet: run `shomar link` first")
    return links


def export_links(workspace: str | Path, out: str | Path) -> int:
    """Write ``source,record_id,person_id`` for every record atomically; return the row count."""
    links = latest_links(workspace)
    frame = links[["source", "record_id", "person_id"]].sort_values(["source", "record_id"])
    _atomic_write_text(Path(out), frame.to_csv(index=False))
    return len(frame)


def read_truth(path: str | Path) -> pd.DataFrame:
    """Ground truth for evaluation: a CSV with ``source,record_id,person_id``."""
    import pandas as pd

    try:
        truth = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError as e:
        raise InputError("file not found", file=str(path)) from e
    missing = [c for c in ("source", "record_id", "person_id") if c not in truth.columns]
    if missing:
        raise InputError(f"missing column {missing[0]!r}", file=str(path), row=1, column=missing[0])
    return truth


def evaluate_links(workspace: str | Path, truth_path: str | Path) -> Any:
    """Pairwise precision/recall/F1 of the latest linkage run against a truth file."""
    from shomar.link import evaluate

    return evaluate(latest_links(workspace), read_truth(truth_path))


def explain_blocking(workspace: str | Path) -> pd.DataFrame:
    """Pairs per blocking rule and recall against the review decisions (when there are any)."""
    from shomar.link import explain_blocking as explain
    from shomar.link.features import derive_features

    ws = open_ws(workspace)
    features = derive_features(ws.store.records_frame())
    return explain(features, link_settings(workspace), labels=_decisions_for_linkage(ws.store))


LABEL_COLUMNS = ["source_dataset_l", "unique_id_l", "source_dataset_r", "unique_id_r", "clerical_match_score"]


def export_labels(workspace: str | Path, out: str | Path) -> int:
    """Review decisions in Splink's labels format (match 1, non-match 0, unsure 0.5)."""
    import pandas as pd

    decisions = open_ws(workspace).store.match_decisions()
    score = {"match": 1.0, "non-match": 0.0, "unsure": 0.5}
    frame = pd.DataFrame({
        "source_dataset_l": decisions["uid_a"].str.split("/", n=1).str[0],
        "unique_id_l": decisions["uid_a"],
        "source_dataset_r": decisions["uid_b"].str.split("/", n=1).str[0],
        "unique_id_r": decisions["uid_b"],
        "clerical_match_score": decisions["decision"].map(score),
    }, columns=LABEL_COLUMNS)
    _atomic_write_text(Path(out), frame.to_csv(index=False))
    return len(frame)


def import_labels(workspace: str | Path, path: str | Path, *, user: str | None = None) -> int:
    """Add decisions from a Splink labels file (score ≥ 0.5 → match… 0.5 exactly → unsure)."""
    import pandas as pd

    where = str(path)
    try:
        frame = pd.read_csv(path, dtype={"unique_id_l": str, "unique_id_r": str})
    except FileNotFoundError as e:
        raise InputError("file not found", file=where) from e
    for column in ("unique_id_l", "unique_id_r", "clerical_match_score"):
        if column not in frame.columns:
            raise InputError(f"missing column {column!r}", file=where, row=1, column=column)
    ws = open_ws(workspace)
    known = set(ws.store.records_frame()["record_uid"])
    rows = []
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        for uid in (row.unique_id_l, row.unique_id_r):
            if uid not in known:
                raise InputError(f"no record {uid!r} in the workspace", file=where, row=i,
                                 column="unique_id_l" if uid == row.unique_id_l else "unique_id_r")
        score = float(row.clerical_match_score)
        if not 0 <= score <= 1:
            raise InputError(f"score {score} is not between 0 and 1", file=where, row=i,
                             column="clerical_match_score")
        decision = "unsure" if score == 0.5 else ("match" if score > 0.5 else "non-match")
        rows.append((row.unique_id_l, row.unique_id_r, decision, score))
    for uid_l, uid_r, decision, score in rows:  # checked first: a bad row adds nothing
        ws.store.add_match_decision(uid_l, uid_r, decision, user=user or current_user(),
                                    why=f"imported from {Path(path).name}", score=score)
    return len(rows)


# --- capture table and estimation ---------------------------------------------------------------


def capture_table_from_links(
    links: pd.DataFrame,
    *,
    sources: Sequence[str] | None = None,
    strata: Sequence[str] = (),
) -> CaptureTable:
    """One row per person: 1 for each list holding at least one of their records.

    ``links`` has ``source``, ``person_id`` and any strata columns. A person whose records disagree
    on a stratum is put in the stratum most of their records give (ties: the first in sort order),
    because a person must be counted in exactly one stratum.
    """
    from shomar.estimate import CaptureTable

    if len(links) == 0:
        raise ShomarError("no linked records: nothing to estimate")
    lists = list(sources) if sources is not None else sorted(links["source"].unique())
    unknown = sorted(set(links["source"]) - set(lists))
    if unknown:
        raise ShomarError(f"records from list(s) {unknown} are not among the lists {lists}")
    seen = (
        links.assign(_one=1)
        .pivot_table(index="person_id", columns="source", values="_one", aggfunc="max", fill_value=0)
        .reindex(columns=lists, fill_value=0)
    )
    if strata:
        for name in strata:
            if name not in links.columns:
                raise InputError(f"no column {name!r} to stratify by", column=name)
        seen = seen.join(_person_strata(links, strata))
    keys = [*strata, *lists]
    grouped = seen.reset_index(drop=True).groupby(keys, sort=True).size().reset_index(name="count")
    return CaptureTable.from_arrays(
        grouped[lists].to_numpy(dtype="uint8"),
        grouped["count"].to_numpy(),
        lists,
        strata_names=tuple(strata),
        strata=[tuple(r) for r in grouped[list(strata)].itertuples(index=False)] if strata else None,
    )


def _person_strata(links: pd.DataFrame, strata: Sequence[str]) -> pd.DataFrame:
    values = links[["person_id", *strata]].copy()
    for name in strata:
        values[name] = values[name].fillna("unknown").astype(str).replace("", "unknown")
    counts = values.groupby(["person_id", *strata]).size().reset_index(name="_n")
    counts = counts.sort_values(["person_id", "_n", *strata], ascending=[True, False] + [True] * len(strata))
    return counts.drop_duplicates("person_id").set_index("person_id")[list(strata)]


def workspace_capture_table(
    workspace: str | Path, strata: Sequence[str] | None = None
) -> CaptureTable:
    """The capture table of the latest linkage run (lists in the order they were first imported)."""
    ws = open_ws(workspace)
    links = latest_links(workspace)
    sources = [s.name for s in ws.store.sources()]
    strata = list(strata or ())
    if strata:
        records = ws.store.records_frame()
        extra = [c for c in strata if c in records.columns]
        links = links.merge(records[["record_uid", *extra]], on="record_uid", how="left")
    return capture_table_from_links(links, sources=[s for s in sources if s in set(links["source"])],
                                    strata=strata)


def default_estimates(table: CaptureTable, *, seed: int = 2024) -> list[EstimateResult]:
    """The estimates a report shows: the headline model first, then the ones to compare it with."""
    import warnings

    from shomar.estimate import GraphAverage, LatentClass, LogLinear

    results: list[EstimateResult] = []
    results.append(LogLinear(select="bic", interval="profile").fit(table))
    results.append(LogLinear(model="independence", interval="profile").fit(table))
    if 3 <= table.n_lists <= 6:
        results.append(GraphAverage().fit(table))
    with warnings.catch_warnings():  # diagnostics are kept in the result and shown in the report
        warnings.simplefilter("ignore")
        results.append(LatentClass(seed=seed).fit(table))
    return results


def save_estimate(workspace: str | Path, result: EstimateResult, settings: dict[str, Any],
                  user: str | None = None) -> int:
    ws = open_ws(workspace)
    return int(ws.store.save_estimate(result.to_dict(), settings=_jsonable(settings),
                                      data_hash=ws.store.data_hash(), user=user or current_user()))


# --- helpers ------------------------------------------------------------------------------------


def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


# --- report -------------------------------------------------------------------------------------


def estimate_workspace(
    workspace: str | Path, *, seed: int = 2024, user: str | None = None
) -> tuple[CaptureTable, list[EstimateResult]]:
    """Fit the default estimates on the workspace's capture table and record each in the store."""
    table = workspace_capture_table(workspace)
    results = default_estimates(table, seed=seed)
    for result in results:
        save_estimate(workspace, result, {"method": result.method, "seed": seed}, user=user)
    return table, results


def build_report_data(
    workspace: str | Path,
    *,
    table: CaptureTable,
    estimates: Sequence[EstimateResult],
    evaluation: dict[str, Any] | None = None,
    truth: dict[str, Any] | None = None,
    title: str = "Shomar report",
    notes: Sequence[str] = (),
) -> Any:
    """Everything the report shows, gathered from the store and the results passed in."""
    from datetime import UTC, datetime

    from shomar import __version__
    from shomar.report import ReportData

    ws = open_ws(workspace)
    links = latest_links(workspace)
    per_list_people = links.groupby("source")["person_id"].nunique()
    per_list_records = links.groupby("source").size()
    sources = [
        {"name": s.name, "n_records": int(per_list_records.get(s.name, 0)),
         "n_people": int(per_list_people.get(s.name, 0))}
        for s in ws.store.sources()
    ]
    n_pairs = int(links[["source", "person_id"]].drop_duplicates().shape[0])
    linkage: dict[str, Any] = {
        "n_records": len(links),
        "n_people": int(links["person_id"].nunique()),
        "n_within_source_duplicates": len(links) - n_pairs,
        "threshold": getattr(ws.config, "match_threshold", None),
        "method": "Splink (Fellegi–Sunter) on DuckDB with ASCII name keys; one record per list per person",
    }
    if evaluation is not None:
        linkage["evaluation"] = evaluation
    return ReportData(
        title=title,
        generated_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        workspace=str(Path(workspace).resolve()),
        data_hash=ws.store.data_hash(),
        linkage=linkage,
        sources=sources,
        capture_table=table,
        estimates=list(estimates),
        strata=None,
        truth=truth,
        settings={"suppress_below": getattr(ws.config, "suppress_below", 5)},
        software_version=__version__,
        suppress_below=int(getattr(ws.config, "suppress_below", 5)),
        notes=list(notes),
    )


def write_workspace_report(
    workspace: str | Path, out: str | Path, *, seed: int = 2024, **extra: Any
) -> Any:
    """Estimate on the latest linkage and write the self-contained HTML report (and its JSON twin).

    Returns the report manifest, the capture table and the estimates (headline first).
    """
    from shomar.report import write_report

    table, results = estimate_workspace(workspace, seed=seed)
    data = build_report_data(workspace, table=table, estimates=results, **extra)
    return write_report(data, Path(out)), table, results
