"""`shomar link`, `shomar link evaluate`, `shomar export links`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shomar.cli.common import WorkspaceOption, console, out, print_json
from shomar.errors import ConfigError

link_app = typer.Typer(help="Link records into people (deduplicate within and across lists).")
export_app = typer.Typer(help="Export results as files.", no_args_is_help=True)


@link_app.callback(invoke_without_command=True)
def link(
    ctx: typer.Context,
    workspace: WorkspaceOption = Path("."),
    threshold: Annotated[
        float | None, typer.Option(help="Match probability above which two records are one person.")
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    explain_blocking: Annotated[
        bool, typer.Option("--explain-blocking", help="Print pairs per blocking rule and recall on review decisions; link nothing.")
    ] = False,
    engine: Annotated[
        str | None, typer.Option(help="Where pairs are scored: duckdb (embedded, default) or spark "
                                      "(shomar\\[spark] and Java 17+; same people, for scaling out). "
                                      "Default: the engine set in shomar.toml.")
    ] = None,
    spark_master: Annotated[
        str | None, typer.Option(help="Spark master URL (spark://host:7077, yarn, local[8]) for "
                                      "--engine spark. Default: local[2] in this process.")
    ] = None,
) -> None:
    """Link every current record into people; the result is saved as a new linkage run."""
    if ctx.invoked_subcommand is not None:
        return
    from shomar.link.engines import ENGINES
    from shomar.pipeline import link_settings, run_link

    if engine is not None and engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}: use {' or '.join(ENGINES)}")

    if explain_blocking:
        from shomar.pipeline import explain_blocking as explain

        table = explain(workspace)
        if json_output:
            print_json(table.to_dict(orient="records"))
        else:
            out.print(table.to_string(index=False))
        return
    settings = link_settings(workspace, match_threshold=threshold, engine=engine, spark_master=spark_master)
    with console.status("linking…") as status:
        result, run_id = run_link(workspace, settings=settings, progress=status.update)
    summary = dict(result.summary())
    summary["linkage_run"] = run_id
    if json_output:
        print_json(summary)
        return
    out.print(
        f"Linked {summary.get('records', '?')} records into {summary.get('people', '?')} people "
        f"(linkage run {run_id}, match threshold {summary.get('threshold', '?')})."
    )
    for key, what in (("oversized_clusters", "unusually large people"),
                      ("people_with_conflicting_dates", "people with dates of death more than 3 days apart")):
        if summary.get(key):
            out.print(f"  check: {summary[key]} {what} (`shomar review` shows doubtful pairs)")


@link_app.command("evaluate")
def evaluate(
    truth: Annotated[Path, typer.Option(help="CSV with source,record_id,person_id.")],
    workspace: WorkspaceOption = Path("."),
    json_output: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Score the latest linkage run against known truth: pairwise precision, recall, F1."""
    from shomar.pipeline import evaluate_links

    evaluation = evaluate_links(workspace, truth)
    scores = evaluation.to_dict() if hasattr(evaluation, "to_dict") else dict(vars(evaluation))
    if json_output:
        print_json(scores)
        return
    out.print(
        f"precision {scores['precision']:.3f}, recall {scores['recall']:.3f}, F1 {scores['f1']:.3f}"
        f" — people found {scores.get('people_found', '?')}, true people {scores.get('people_true', '?')}"
    )


@export_app.command("links")
def export_links(
    out_path: Annotated[Path, typer.Option("--out", help="CSV to write.")],
    workspace: WorkspaceOption = Path("."),
) -> None:
    """Write source,record_id,person_id for every record of the latest linkage run."""
    from shomar.pipeline import export_links as write_links

    n = write_links(workspace, out_path)
    out.print(f"Wrote {n} links to {out_path}.")


labels_app = typer.Typer(help="Review decisions as Splink labels files.", no_args_is_help=True)


@labels_app.command("export")
def labels_export(
    out_path: Annotated[Path, typer.Option("--out", help="CSV to write.")],
    workspace: WorkspaceOption = Path("."),
) -> None:
    """Write every current review decision in Splink's labels format."""
    from shomar.pipeline import export_labels

    out.print(f"Wrote {export_labels(workspace, out_path)} labels to {out_path}.")


@labels_app.command("import")
def labels_import(
    path: Annotated[Path, typer.Argument(help="Splink labels CSV.")],
    workspace: WorkspaceOption = Path("."),
) -> None:
    """Add decisions from a Splink labels file (checked whole before anything is added)."""
    from shomar.pipeline import import_labels

    out.print(f"Added {import_labels(workspace, path)} decisions from {path}.")


def register(app: typer.Typer) -> None:
    app.add_typer(link_app, name="link")
    app.add_typer(export_app, name="export")
    app.add_typer(labels_app, name="labels")
