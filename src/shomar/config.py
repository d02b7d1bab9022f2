"""A workspace's settings, read from its ``shomar.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from shomar.errors import ConfigError

CONFIG_FILE = "shomar.toml"

DEFAULT_TOML = """\
# Shomar workspace settings. Edit with care: every estimate records the settings it used.

[workspace]
# The SQLite database next to this file (a PostgreSQL URL works for teams).
database = "sqlite:///shomar.db"

[link]
# Match probability at or above which two records are linked automatically: 0.5 links a pair
# when the model finds it more likely the same person than not (fixed in advance, never tuned
# on a result).
match_threshold = 0.5
# Pairs with a probability from review_threshold up to review_ceiling are doubtful either way
# and go to human review (`shomar review`), most uncertain first.
review_threshold = 0.1
review_ceiling = 0.9
# Refuse blocking rules that would score more candidate pairs than this.
pair_budget = 5000000
# Where pairs are scored: "duckdb" (embedded) or "spark" (pip install 'shomar[spark]', Java 17+;
# the same people, for scaling out: slower than DuckDB on one machine).
engine = "duckdb"
# Spark master URL (spark://host:7077, yarn, local[8]); empty: local[2] in this process.
spark_master = ""

[report]
# Cells and strata smaller than this are suppressed in published tables.
suppress_below = 5
"""


@dataclass(frozen=True)
class WorkspaceConfig:
    """Settings of one workspace (defaults apply to keys the file leaves out)."""

    database: str = "sqlite:///shomar.db"
    match_threshold: float = 0.5
    review_threshold: float = 0.1
    review_ceiling: float = 0.9
    pair_budget: int = 5_000_000
    engine: str = "duckdb"
    spark_master: str = ""
    suppress_below: int = 5

    @classmethod
    def load(cls, path: Path) -> WorkspaceConfig:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{path}: not valid TOML: {e}") from e
        flat: dict[str, Any] = {}
        for section in data.values():
            if isinstance(section, dict):
                flat.update(section)
        known = {f.name: f.type for f in fields(cls)}
        values = {k: v for k, v in flat.items() if k in known}
        try:
            return cls(**values)
        except TypeError as e:
            raise ConfigError(f"{path}: {e}") from e
