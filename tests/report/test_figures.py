"""Each figure is SVG text with no external reference, and the same input gives the same bytes."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from shomar.report import figures

FIGURES: list[Callable[[], str]] = [
    lambda: figures.list_sizes_svg(["سازمان الف", "news"], [126, 84], [123, 83]),
    lambda: figures.patterns_svg(["01", "10", "11"], [80, 120, None]),
    lambda: figures.estimates_svg([("loglinear", 3400.0, 2900.0, 4100.0), ("lcmcr", 3650.0, 3000.0, 4600.0)],
                                  2941, truth=3000.0),
    lambda: figures.strata_svg([("a", 40, 90.0, 70.0, 130.0), ("b", 30, 60.0, float("nan"), float("nan"))]),
]


@pytest.mark.parametrize("draw", FIGURES)
def test_figure_is_self_contained_deterministic_svg(draw: Callable[[], str]) -> None:
    svg = draw()
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert not re.search(r'(href|src)\s*=\s*["\'](?!#)', svg)  # only in-document references (#id)
    assert "<dc:date>" not in svg
    assert draw() == svg
