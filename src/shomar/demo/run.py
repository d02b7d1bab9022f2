"""The whole pipeline on a synthetic scenario with ground truth: generate, import, link, estimate, report."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shomar.errors import ConfigError

DEMO_MARKER = ".shomar-demo"


@dataclass(frozen=True)
class DemoSummary:
    """What the demo found, beside the truth it was generated from."""

    n_people_true: int
    n_records: int
    observed: int
    estimate: float
    interval: tuple[float, float]
    level: float
    model: str
    method: str
    precision: float
    recall: float
    f1: float
    report_path: Path
    seconds: float
    other_estimates: list[dict[str, Any]] = field(default_factory=list)


def _fresh_workspace(path: Path) -> Any:
    from shomar.storage import init_workspace

    if path.exists():
        if not (path / DEMO_MARKER).exists():
            raise ConfigError(f"{path} exists and is not a demo workspace: choose another --dir")
        shutil.rmtree(path)  # a demo workspace is regenerated from its seed, so nothing is lost
    ws = init_workspace(path)
    (path / DEMO_MARKER).write_text("created by `shomar demo`; regenerated on each run\n")
    return ws


def run_demo(
    out_dir: str | Path, *, n_people: int = 3000, seed: int = 2024, step: Any = None
) -> DemoSummary:
    """Run every stage on a fresh synthetic scenario; ``step(name)`` is called as each stage starts."""
    from shomar.demo import generate_scenario
    from shomar.pipeline import evaluate_links, import_file, run_link, write_workspace_report

    def announce(name: str) -> None:
        if step is not None:
            step(name)

    started = time.perf_counter()
    out_dir = Path(out_dir)
    announce("generating the synthetic scenario")
    scenario = generate_scenario(out_dir / "sources", n_people=n_people, seed=seed)
    ws_dir = out_dir / "workspace"
    _fresh_workspace(ws_dir)
    for name, path, map_path, *_ in scenario.sources:
        announce(f"importing {Path(path).name}")
        import_file(ws_dir, path, source=name, map_path=map_path, user="demo")
    announce("linking records into people")
    run_link(ws_dir, user="demo", progress=announce)
    evaluation = evaluate_links(ws_dir, scenario.truth_path)
    scores = evaluation.to_dict() if hasattr(evaluation, "to_dict") else dict(vars(evaluation))
    announce("estimating and writing the report")
    report_path = out_dir / "report.html"
    _, _, results = write_workspace_report(
        ws_dir, report_path, seed=seed,
        evaluation=scores,
        truth={"n_people": scenario.n_people_true, "label": "synthetic ground truth"},
        title="Shomar demo: a synthetic scenario with known truth",
    )
    headline = results[0]
    return DemoSummary(
        n_people_true=scenario.n_people_true,
        n_records=int(sum(dict(scenario.n_records_per_source).values())),
        observed=int(headline.observed),
        estimate=float(headline.estimate),
        interval=(float(headline.interval[0]), float(headline.interval[1])),
        level=float(headline.level),
        model=str(headline.model),
        method=str(headline.method),
        precision=float(scores["precision"]),
        recall=float(scores["recall"]),
        f1=float(scores["f1"]),
        report_path=report_path.resolve(),
        seconds=time.perf_counter() - started,
        other_estimates=[r.to_dict() for r in results[1:]],
    )
