"""Assessing: running rulebooks over a case (findings, accounting) and over a proposal (the
pre-rollout check)."""
