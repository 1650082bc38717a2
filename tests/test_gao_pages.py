"""The generated GAO rule pages and the comparison page are current, and each page says what of
GAO's text could not be found rather than inventing it. Rebuild with `coordgap regenerate`."""

from __future__ import annotations

import pytest
from conftest import ROOT

from coordgap.rules.gao_common import NOT_FOUND
from coordgap.rules.gao_pages import SMALL_CASE, render_pages

PAGES = render_pages(ROOT / SMALL_CASE)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_committed_page_is_current(name):
    path = ROOT / "docs" / "rules" / name
    assert path.is_file(), f"{path} is missing: run `coordgap regenerate`"
    assert path.read_text(encoding="utf-8") == PAGES[name], f"{path} is stale: run `coordgap regenerate`"


def test_there_is_a_page_for_every_practice_and_one_comparing_the_rulebooks():
    assert sorted(PAGES) == [f"GAO-LP{n}.md" for n in range(1, 9)] + ["rulebooks-compared.md"]


@pytest.mark.parametrize("n", range(1, 9))
def test_each_page_quotes_the_practice_and_says_the_key_considerations_were_not_found(n):
    page = PAGES[f"GAO-LP{n}.md"]
    assert NOT_FOUND in page
    assert "## On the bundled cases" in page and "| `zero_tolerance` |" in page
