"""The `coordgap` command."""

from .main import main

__all__ = ["main"]
