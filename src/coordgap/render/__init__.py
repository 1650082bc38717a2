"""Rendering what the assessments found: audit reports (Markdown, HTML) and SARIF."""
