"""Human review of doubtful pairs: both records side by side, keys y/n/u/s/z/q.

Kept free of storage: the caller passes ``on_decision`` (which writes to the store) and
``read_key`` (the terminal, or a script in tests).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

KEYS = {"y": "match", "n": "non-match", "u": "unsure"}
FIELDS = ["source", "record_id", "full_name", "other_name", "father_name", "sex", "age", "date_start", "date_precision",
          "province_code", "city"]


def render_pair(left: pd.Series, right: pd.Series, pair: pd.Series) -> Any:
    """A rich table: the two records in their own scripts, and what the model made of them."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"match probability {pair['match_probability']:.3f} "
                        f"(weight {pair['match_weight']:+.1f})", show_lines=False)
    table.add_column("field")
    table.add_column("record A")
    table.add_column("record B")
    for name in FIELDS:
        a, b = left.get(name), right.get(name)
        a_text, b_text = ("" if pd.isna(a) else str(a)), ("" if pd.isna(b) else str(b))
        style = "green" if a_text and a_text == b_text else ""
        table.add_row(name, Text(a_text, style=style), Text(b_text, style=style))
    weights = {c.removeprefix("mw_"): float(pair[c]) for c in pair.index if str(c).startswith("mw_")}
    table.caption = "what each field says (match weight: + for a match, − against; a missing field 0 until answers weigh it): " + ", ".join(
        f"{k} {v:+.1f}" for k, v in weights.items())
    return table


def review_loop(queue: pd.DataFrame, records: pd.DataFrame, *, read_key: Callable[[], str],
                on_decision: Callable[[str, str, str, float], None],
                on_undo: Callable[[str, str], None], show: Callable[[Any], None],
                limit: int | None = None) -> dict[str, int]:
    """Walk the queue; returns how many decisions of each kind were made."""
    indexed = records.set_index("record_uid")
    made: list[tuple[str, str]] = []
    counts = {"match": 0, "non-match": 0, "unsure": 0, "skipped": 0, "undone": 0}
    i = 0
    while i < len(queue) and (limit is None or len(made) < limit):
        pair = queue.iloc[i]
        show(render_pair(indexed.loc[pair["uid_l"]], indexed.loc[pair["uid_r"]], pair))
        key = read_key().lower()
        if key == "q":
            break
        if key == "z":
            if made:
                uid_l, uid_r = made.pop()
                on_undo(uid_l, uid_r)
                counts["undone"] += 1
                i = max(i - 1, 0)
            continue
        if key == "s":
            counts["skipped"] += 1
        elif key in KEYS:
            on_decision(pair["uid_l"], pair["uid_r"], KEYS[key], float(pair["match_probability"]))
            made.append((pair["uid_l"], pair["uid_r"]))
            counts[KEYS[key]] += 1
        else:
            continue  # unknown key: show the same pair again
        i += 1
    return counts
