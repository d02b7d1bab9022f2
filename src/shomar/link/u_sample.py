"""u probabilities estimated on the records Splink's random sampling takes, while the others' keys
are derived.

Splink's ``estimate_u_using_random_sampling`` keeps a record by a hash of its id and the seed
alone, in the proportion that makes about ``U_SAMPLE_PAIRS`` pairs of all the records, and then
compares every pair of those it kept. So the sample is known before any key is derived: its
records' features (a few thousand) are derived, and u estimated on them, in a thread (DuckDB runs
without the GIL) while the names of all the records are worked out. The u
probabilities are the ones ``train`` estimates on all the records (tests/link/test_u_sample.py).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from shomar.link import model
from shomar.link.settings import LinkSettings


def u_sample_rows(unique_ids: Sequence[str] | pd.Series, seed: int | None) -> np.ndarray | None:
    """The positions of the records Splink's random sampling for u takes (``train``'s call, at
    ``U_SAMPLE_PAIRS``) among records with these ids, in order; None when it takes them all."""
    import duckdb
    from splink.internals.dialects import DuckDBDialect
    from splink.internals.estimate_u import _rows_needed_for_n_pairs
    from splink.internals.input_column import InputColumn

    count = len(unique_ids)
    wanted = _rows_needed_for_n_pairs(model.U_SAMPLE_PAIRS)
    if not count or wanted >= count:
        return None
    proportion = wanted / count
    kept = DuckDBDialect().proportion_sample_sql(
        proportion, [InputColumn("unique_id", sqlglot_dialect_str="duckdb")], seed=seed)
    ids = pa.table({"unique_id": pa.array(unique_ids, pa.string())})
    with duckdb.connect() as connection:
        connection.register("ids", ids)
        # A projection keeps the rows' order (DuckDB preserves insertion order by default).
        taken = connection.execute(f"SELECT true {kept} AS taken FROM ids").fetchnumpy()["taken"]
    return np.flatnonzero(np.asarray(taken, dtype=bool))


def u_of_records(records: pd.DataFrame, rows: np.ndarray, settings: LinkSettings) -> Any:
    """A linker on the features of the records at ``rows`` (``u_sample_rows``) holding the u
    probabilities random sampling estimates from them: every pair of them, as on all the records."""
    from shomar.link.features import derive_features

    sample = derive_features(records, only=rows)  # a few thousand records: never forks
    linker = model.build_linker(sample, settings)
    estimate_u_on_all_pairs(linker, sample)
    return linker


# Splink's sampler (``estimate_u_values``): each comparison first counts the pairs whose right
# record is in chunk 1 of 100 (a probe), and keeps those counts if every level has at least 100;
# otherwise it counts chunk after chunk of 10 until every level has, or the pairs run out.
_PROBE_CHUNKS, _CHUNKS, _MIN_COUNT = 100, 10, 100
_TRAINED_BY = "estimate u by random sampling"


def estimate_u_on_all_pairs(linker: Any, sample: pd.DataFrame) -> None:
    """What ``estimate_u_using_random_sampling`` (as ``train`` calls it) estimates on a linker over
    ``sample`` when it takes every record, as it does of the records ``u_sample_rows`` chose.

    Splink runs one query per chunk and comparison, most of its time spent putting the queries
    together; here one query counts every comparison's levels in the probe, one more those of the
    comparisons the probe did not settle chunk by chunk, and the stopping rule is replayed on the
    counts (tests/link/test_u_sample.py compares the two).
    """
    import duckdb
    from splink.internals.chunking import _chunk_assignment_sql
    from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT
    from splink.internals.unique_id_concat import _composite_unique_id_from_nodes_sql

    settings_obj = linker._settings_obj
    comparisons = copy.deepcopy(settings_obj.comparisons)
    for level in (level for comparison in comparisons for level in comparison.comparison_levels):
        level._tf_adjustment_column = None  # as Splink counts: without term frequencies
    ids = settings_obj.column_info_settings.unique_id_input_columns
    dialect = linker._sql_dialect

    def in_chunk(k: int, of: int) -> str:
        return _chunk_assignment_sql(ids, k, of, "r", dialect).removeprefix(" AND ")

    uid_l, uid_r = (_composite_unique_id_from_nodes_sql(ids, side) for side in "lr")
    chunk = "CASE " + " ".join(f"WHEN {in_chunk(k, _CHUNKS)} THEN {k}" for k in range(1, _CHUNKS + 1)) + " END"
    levels = [[int(level.comparison_vector_value) for level in c._comparison_levels_excluding_null]
              for c in comparisons]
    with duckdb.connect() as connection:
        connection.register("sample", sample)
        # Each record's chunks worked out once, not once per pair.
        connection.execute(f"CREATE TABLE chunked AS SELECT *, {chunk} AS chunk__, "
                           f"{in_chunk(1, _PROBE_CHUNKS)} AS probe__ FROM sample AS r")

        def counted(which: list[int], where: str) -> list[dict[int, dict[int, float]]]:
            """For each comparison of ``which``, pairs per chunk and level (one pass over the pairs)."""
            gammas = [comparisons[i]._gamma_column_name for i in which]
            columns = dict.fromkeys(c for i in which for c in comparisons[i]._columns_to_select_for_blocking())
            rows = connection.execute(f"""
                SELECT {", ".join(gammas)}, chunk, count(*)
                FROM (SELECT {", ".join(comparisons[i]._case_statement for i in which)}, chunk
                      FROM (SELECT {", ".join(columns)}, r.chunk__ AS chunk, r.probe__ AS probe
                            FROM sample AS l INNER JOIN chunked AS r ON {uid_l} < {uid_r})
                      WHERE {where})
                GROUP BY GROUPING SETS ({", ".join(f"({g}, chunk)" for g in gammas)})""").fetchall()
            out: list[dict[int, dict[int, float]]] = []
            # A grouping set's row has its own comparison's level and the others' NULL (a level is
            # never NULL: Splink's CASE gives -1 to a missing value).
            for at, i in enumerate(which):
                by_chunk = {k: dict.fromkeys(levels[i], 0.0) for k in range(1, _CHUNKS + 1)}
                for row in rows:
                    if row[at] is not None and row[at] in by_chunk[row[-2]] and sum(v is not None for v in row[:-2]) == 1:
                        by_chunk[row[-2]][row[at]] += row[-1]
                out.append(by_chunk)
            return out

        everyone = list(range(len(comparisons)))
        kept: dict[int, dict[int, float]] = {}
        # The probe's pairs are those whose right record is in chunk 1 of 100, whatever chunk of 10.
        for i, by_chunk in zip(everyone, counted(everyone, "probe"), strict=True):
            probe = {level: sum(chunk[level] for chunk in by_chunk.values()) for level in levels[i]}
            if min(probe.values(), default=0.0) >= _MIN_COUNT:
                kept[i] = probe
        rest = [i for i in everyone if i not in kept]
        for i, by_chunk in zip(rest, counted(rest, "true") if rest else [], strict=True):
            kept[i] = _until_enough(levels[i], by_chunk)
    for i, trained in enumerate(settings_obj.comparisons):
        total = sum(kept[i].values())
        for level in trained._comparison_levels_excluding_null:
            n = kept[i][int(level.comparison_vector_value)]
            level._add_trained_u_probability(n / total if n else LEVEL_NOT_OBSERVED_TEXT, _TRAINED_BY)
    linker._populate_m_u_from_trained_values()


def _until_enough(levels: list[int], by_chunk: dict[int, dict[int, float]]) -> dict[int, float]:
    """Pairs per level, chunk after chunk, until every level has ``_MIN_COUNT`` or none is left."""
    kept = dict.fromkeys(levels, 0.0)
    for k in range(1, _CHUNKS + 1):
        for level in levels:
            kept[level] += by_chunk[k][level]
        if min(kept.values(), default=0.0) >= _MIN_COUNT:
            break
    return kept
