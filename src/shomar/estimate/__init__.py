"""Population estimation on capture tables (numpy/scipy/numba only; usable alone)."""

from shomar.estimate.closed import ClosedPopulation
from shomar.estimate.graph_average import GraphAverage, GraphAverageResult
from shomar.estimate.latent_class import LatentClass, LatentClassResult
from shomar.estimate.loglinear import LogLinear, LogLinearResult
from shomar.estimate.models import Model, parse_model
from shomar.estimate.result import EstimateResult
from shomar.estimate.tables import CaptureTable

__all__ = ["CaptureTable", "ClosedPopulation", "EstimateResult", "GraphAverage", "GraphAverageResult", "LatentClass",
    "LatentClassResult", "LogLinear", "LogLinearResult", "Model", "parse_model"]
