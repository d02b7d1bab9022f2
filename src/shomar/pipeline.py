"""Joins the stages: workspace records → linkage → capture table → estimate → report."""
