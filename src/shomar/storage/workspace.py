"""A workspace: a directory holding ``shomar.toml`` and the database, migrated to the latest schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from shomar.config import CONFIG_FILE, DEFAULT_TOML, WorkspaceConfig
from shomar.errors import ConfigError
from shomar.storage.store import Store

MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass(frozen=True)
class Workspace:
    path: Path
    config: WorkspaceConfig
    store: Store


def init_workspace(path: str | Path) -> Workspace:
    """Create a workspace in ``path`` (created if needed); refuse to overwrite an existing one."""
    path = Path(path)
    if (path / CONFIG_FILE).exists():
        raise ConfigError(f"{path} is already a Shomar workspace (it has {CONFIG_FILE})")
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{path} exists and is not a directory")
    path.mkdir(parents=True, exist_ok=True)
    (path / CONFIG_FILE).write_text(DEFAULT_TOML, encoding="utf-8")
    return open_workspace(path)


def open_workspace(path: str | Path) -> Workspace:
    """Open the workspace in ``path``, running any pending migration."""
    path = Path(path)
    if not (path / CONFIG_FILE).is_file():
        raise ConfigError(f"no Shomar workspace at {path}: run `shomar init {path}`")
    config = WorkspaceConfig.load(path / CONFIG_FILE)
    engine = _engine(config.database, path)
    _migrate(engine)
    return Workspace(path=path, config=config, store=Store(engine))


def _engine(url: str, base: Path) -> Engine:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = f"sqlite:///{(base / url.removeprefix('sqlite:///')).resolve()}"
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # WAL: readers never block the writer; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _migrate(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
