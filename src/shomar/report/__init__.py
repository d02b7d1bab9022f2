"""Reports: a self-contained HTML page (inline SVG) and its JSON twin. Never reads the store."""

from shomar.report.data import ReportData, ReportManifest
from shomar.report.render import render_report, write_report

__all__ = ["ReportData", "ReportManifest", "render_report", "write_report"]
