"""Reports: a self-contained HTML page (inline SVG), its JSON twin and CSV exports. Never reads the store."""

from shomar.report.data import ReportData, ReportManifest
from shomar.report.exports import write_exports
from shomar.report.render import render_report, write_report

__all__ = ["ReportData", "ReportManifest", "render_report", "write_exports", "write_report"]
