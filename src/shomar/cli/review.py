"""`shomar review`: settle doubtful pairs; the model re-trains from the decisions after each batch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shomar.cli.common import WorkspaceOption, console, out


def review(
    workspace: WorkspaceOption = Path("."),
    batch: Annotated[int, typer.Option(help="Decisions per batch; the model re-trains after each.")] = 10,
) -> None:
    """Show doubtful pairs side by side; y match, n non-match, u unsure, s skip, z undo, q quit."""
    import pandas as pd

    from shomar.link import link_records
    from shomar.link.features import derive_features
    from shomar.link.review import review_loop
    from shomar.pipeline import _decisions_for_linkage, current_user, link_settings, open_ws

    ws = open_ws(workspace)
    user = current_user()
    totals: dict[str, int] = {}
    features, features_of = None, None
    while True:
        records = ws.store.records_frame()
        decisions = _decisions_for_linkage(ws.store)
        # The matching keys are derived once per session, again only if the records changed.
        versions = int(pd.util.hash_pandas_object(records[["record_uid", "version"]], index=False).sum())
        if versions != features_of:
            features, features_of = derive_features(records), versions
        with console.status("scoring pairs (re-trained on your decisions)…"):
            result = link_records(records, settings=link_settings(workspace), decisions=decisions,
                                  features=features)
        queue = result.review_queue(decisions)
        if queue.empty:
            out.print("No doubtful pairs left to review.")
            break
        out.print(f"{len(queue)} doubtful pairs; keys: y match, n non-match, u unsure, s skip, z undo, q quit")
        counts = review_loop(
            queue, records, read_key=lambda: typer.getchar(),
            on_decision=lambda a, b, d, p: ws.store.add_match_decision(a, b, d, user=user, score=p),
            on_undo=lambda a, b: ws.store.add_match_decision(a, b, "undo", user=user),
            show=out.print, limit=batch,
        )
        for k, v in counts.items():
            totals[k] = totals.get(k, 0) + v
        if sum(counts[k] for k in ("match", "non-match", "unsure")) < batch:
            break
    out.print("Decisions: " + ", ".join(f"{k} {v}" for k, v in totals.items() if v)
              + ". Run `shomar link` to apply them.")


def register(app: typer.Typer) -> None:
    app.command("review")(review)
