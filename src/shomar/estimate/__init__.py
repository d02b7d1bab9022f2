"""Population estimation on capture tables (numpy/scipy/numba only; usable alone)."""

from shomar.estimate.result import EstimateResult
from shomar.estimate.tables import CaptureTable

__all__ = ["CaptureTable", "EstimateResult"]
