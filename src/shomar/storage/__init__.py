"""The append-only records store and the workspace that holds it."""

from shomar.storage.store import DuplicateImport, ImportSummary, SourceInfo, Store
from shomar.storage.workspace import Workspace, init_workspace, open_workspace

__all__ = [
    "DuplicateImport", "ImportSummary", "SourceInfo", "Store", "Workspace", "init_workspace",
    "open_workspace",
]
