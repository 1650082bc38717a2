"""Bundled case folders (each a subfolder with its own README)."""
