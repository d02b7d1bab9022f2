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
    # Enough pairs that Splink keeps every record given.
    linker.training.estimate_u_using_random_sampling(max_pairs=max(model.U_SAMPLE_PAIRS, float(len(sample)) ** 2),
                                                     seed=settings.seed)
    return linker
