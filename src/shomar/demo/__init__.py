"""A synthetic scenario with ground truth, and the demo that runs every stage on it."""

from shomar.demo.scenario import Scenario, generate_scenario

__all__ = ["Scenario", "generate_scenario"]
