"""Figures as inline SVG text (matplotlib, Agg): deterministic, no external references."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

BLUE, GREY, RED = "#1f4e79", "#8a8a8a", "#b03a2e"


def _svg(fig: Any) -> str:
    with matplotlib.rc_context({"svg.hashsalt": "shomar", "svg.fonttype": "path"}):
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def list_sizes_svg(names: Sequence[str], records: Sequence[int], people: Sequence[int]) -> str:
    fig, ax = plt.subplots(figsize=(6.4, 0.45 * len(names) + 1))
    y = range(len(names))
    ax.barh([i + 0.2 for i in y], records, height=0.4, color=GREY, label="records")
    ax.barh([i - 0.2 for i in y], people, height=0.4, color=BLUE, label="people (after linkage)")
    # Tick labels are list numbers: matplotlib cannot shape Persian, so names stay in the HTML table.
    ax.set_yticks(list(y), [f"list {i + 1}" for i in y])
    ax.invert_yaxis()
    ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def estimates_svg(rows: Sequence[tuple[str, float, float, float]], observed: int,
                  truth: float | None = None) -> str:
    """Forest plot: each method's estimate and interval, the documented count, the truth if known."""
    fig, ax = plt.subplots(figsize=(7, 0.6 * len(rows) + 1.2))
    for i, (_, est, lo, hi) in enumerate(rows):
        ax.errorbar([est], [i], xerr=[[est - lo], [hi - est]], fmt="o", color=BLUE, capsize=5)
        ax.text(hi, i, f"  {est:,.0f}", va="center", fontsize=9)
    ax.axvline(observed, color=GREY, linestyle="--")
    ax.text(observed, len(rows) - 0.4, " documented", color=GREY, fontsize=9)
    if truth is not None:
        ax.axvline(truth, color=RED, linestyle=":")
        ax.text(truth, -0.6, " true total (synthetic)", color=RED, fontsize=9)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.set_ylim(len(rows) - 0.3, -0.9)
    ax.set_xlabel("people")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def patterns_svg(labels: Sequence[str], counts: Sequence[int | None], suppress_below: int = 5) -> str:
    """Counts by capture pattern (an UpSet-like bar chart); suppressed cells drawn hatched, "<k" high."""
    fig, ax = plt.subplots(figsize=(7, 2.8))
    shown = [c if c is not None else suppress_below for c in counts]
    bars = ax.bar(range(len(labels)), shown, color=BLUE)
    for bar, c in zip(bars, counts, strict=True):
        if c is None:  # drawn at the threshold: it says "fewer than k", never the count itself
            bar.set_facecolor("white")
            bar.set_edgecolor(GREY)
            bar.set_hatch("///")
            ax.annotate(f"<{suppress_below}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=8, color=GREY)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=8, family="monospace")
    ax.set_ylabel("people")
    ax.set_xlabel("capture pattern (1 = on that list, lists in table order; hatched = suppressed)")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def strata_svg(rows: Sequence[tuple[str, int, float, float, float]]) -> str:
    """Per stratum: documented count (bar) beside the estimate and its interval (point and bar).

    Each row is (tick label, documented, estimate, lower, upper); labels are numbers that refer to
    the HTML table, because matplotlib cannot shape Persian stratum names."""
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(rows) + 1.2))
    for i, (_, observed, est, lo, hi) in enumerate(rows):
        ax.barh([i], [observed], height=0.5, color="#cfd8e3", label="documented" if i == 0 else None)
        if lo == lo and hi == hi:  # NaN bounds: no interval to draw
            ax.errorbar([est], [i], xerr=[[est - lo], [hi - est]], fmt="o", color=BLUE, capsize=4,
                        label="estimate, 95% interval" if i == 0 else None)
        else:
            ax.plot([est], [i], "o", color=BLUE)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("people")
    ax.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)
