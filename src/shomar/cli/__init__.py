"""The command line: thin commands over the service functions (one module per command group)."""

from shomar.cli.app import app, main

__all__ = ["app", "main"]
