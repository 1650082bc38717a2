"""The package version: the one place it is written (pyproject.toml reads it from here), so a
source checkout and an installed copy stamp the same version on their reports."""

__version__ = "0.1.0"
