"""Shomar (شمار, "count"): from overlapping lists of victims to people and honest estimates."""

from shomar.errors import ConfigError, EstimationError, InputError, LinkError, ShomarError

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "EstimationError",
    "InputError",
    "LinkError",
    "ShomarError",
    "__version__",
]
