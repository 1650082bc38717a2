"""The HTML report in a real browser (headless Chromium): no script ever runs,
however hostile the data, and the page renders, matrix included.

Needs Debian's `chromium` (apt-get install -y chromium). Without it these tests
skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT
from test_report import HOSTILE, SCRIPT, make_hostile_case, parse

from coordgap import load_case
from coordgap.render.report import write_reports
from coordgap.render.report.palette import STATUS_FILL

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--disable-extensions", "--mute-audio",
]

# The status colours (render/report/palette.py), as RGB.
STATUS_RGB = {s: tuple(int(fill[i:i + 2], 16) for i in (1, 3, 5)) for s, fill in STATUS_FILL.items()}
ZERO_TOLERANCE_REPORT = ROOT / "reports" / "zero_tolerance" / "report.html"
PAGE_BUDGET = 60  # printed pages before the appendices (issue #13)


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but chromium is not installed: run `apt-get install -y chromium` in .ci/run")
    pytest.skip("chromium is not installed (apt-get install -y chromium); the browser tests need it")


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"  # a fresh profile per run
    return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=True)


def dump_dom(tmp_path: Path, page: Path) -> str:
    """The page's DOM after it loaded and any script it let run had run."""
    return run_chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", page.as_uri()).stdout


def screenshot(tmp_path: Path, page: Path, height: int = 2400, width: int = 1280) -> tuple[int, int, list[bytes]]:
    png = tmp_path / f"{page.stem}.png"
    run_chromium(tmp_path, f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri())
    return read_png(png.read_bytes())


def view(tmp_path: Path, page: Path, css: str, replace: tuple[str, str] = ("", "")) -> Path:
    """A copy of the page beside it (so its links still resolve) with extra CSS, and one text replaced."""
    out = page.with_name(f"view-{len(list(page.parent.glob('view-*')))}.html")
    text = page.read_text(encoding="utf-8").replace("</style>", f"{css}\n</style>")
    out.write_text(text.replace(*replace) if replace[0] else text, encoding="utf-8")
    return out


def print_pdf(tmp_path: Path, page: Path) -> bytes:
    pdf = tmp_path / f"{page.stem}.pdf"
    run_chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    return pdf.read_bytes()


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", data))


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB bytes) of an 8-bit, non-interlaced RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        rows.append(bytes(v for n, v in enumerate(line) if bpp == 3 or n % 4 != 3))
    return width, height, rows


def colours(rows: list[bytes]) -> dict[tuple[int, int, int], int]:
    counts: dict[tuple[int, int, int], int] = {}
    for row in rows:
        for i in range(0, len(row), 3):
            rgb = (row[i], row[i + 1], row[i + 2])
            counts[rgb] = counts.get(rgb, 0) + 1
    return counts


def html_start_tag(dom: str) -> str:
    return re.search(r"<html[^>]*>", dom).group(0)


# ---------------------------------------------------------------- tests
def test_the_harness_sees_a_script_that_runs(tmp_path):
    """Control: a page whose script runs is caught, so a clean result below means something."""
    page = tmp_path / "control.html"
    page.write_text("<!DOCTYPE html><html><body><p>x</p><script>"
                    "document.documentElement.setAttribute('data-pwned','control')</script></body></html>")
    assert 'data-pwned="control"' in html_start_tag(dump_dom(tmp_path, page))


def test_no_script_runs_however_hostile_the_data(tmp_path):
    case = load_case(make_hostile_case(tmp_path / "case"))
    page = write_reports(case, tmp_path / "out", ["html"])[0]
    dom = dump_dom(tmp_path, page)
    assert "data-pwned" not in html_start_tag(dom), "an injected script or handler ran"
    doc = parse(dom)
    assert not [t for t, _ in doc.tags if t in {"script", "img"}], "injected elements reached the DOM"
    assert not [(t, n) for t, attrs in doc.tags for n, _ in attrs if n.startswith("on") or n == "data-injected"]
    text = "".join(doc.text)
    assert text.count(SCRIPT) >= 8  # the hostile text is shown, as text
    assert HOSTILE.split(" [click]")[0] in text


def test_the_page_renders_with_its_matrix(tmp_path):
    page = write_reports(load_case(EXAMPLE), tmp_path / "out", ["html"])[0]
    dom = dump_dom(tmp_path, page)
    doc = parse(dom)
    matrices = [dict(attrs).get("id") for t, attrs in doc.tags if t == "table" and dict(attrs).get("class") == "matrix"]
    assert matrices == ["matrix-d-curfew", "matrix-d-rota"]

    # the top of the page: not blank
    width, height, rows = screenshot(tmp_path, page)
    assert (width, height) == (1280, 2400)
    counts = colours(rows)
    white = counts.get((255, 255, 255), 0)
    assert white < 0.97 * width * height, "the page is (nearly) blank"
    assert len(counts) > 50, "too few colours for rendered text"

    # the results section alone, its decisions opened: the matrix's status colours are drawn ...
    def drawn_statuses(hide: str) -> set[str]:
        opened = view(tmp_path, page, f"{hide} {{ display: none; }} svg {{ display: none; }}",
                      ('<details class="decision"', '<details open class="decision"'))
        opened.write_text(opened.read_text(encoding="utf-8").replace('<details class="decision"',
                                                                     '<details open class="decision"'))
        counts = colours(screenshot(tmp_path, opened, height=1600)[2])
        return {status for status, rgb in STATUS_RGB.items() if counts.get(rgb, 0) > 500}

    drawn = drawn_statuses("header, nav, main > section:not(#results)")
    assert drawn == set(STATUS_RGB), f"matrix cells missing: {set(STATUS_RGB) - drawn}"
    # ... and only by the matrix: hide it and they are gone
    assert drawn_statuses("header, nav, main > section:not(#results), table.matrix") == set()


def test_the_conclusions_are_on_the_first_screen(tmp_path):
    """At 1400x900, the top of the conclusions section is in view without scrolling."""
    for page in (write_reports(load_case(EXAMPLE), tmp_path / "out", ["html"])[0], ZERO_TOLERANCE_REPORT):
        marked = view(tmp_path, page, "#conclusions { background: #ff00ff !important; }") \
            if page.parent != ROOT / "reports" / "zero_tolerance" else None
        if marked is None:  # do not write beside the committed report: copy it out first
            copy = tmp_path / "zt" / "report.html"
            copy.parent.mkdir(exist_ok=True)
            copy.write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
            marked = view(tmp_path, copy, "#conclusions { background: #ff00ff !important; }")
        width, height, rows = screenshot(tmp_path, marked, height=900, width=1400)
        assert (width, height) == (1400, 900)
        magenta = [y for y, row in enumerate(rows) if b"\xff\x00\xff" * 20 in row]
        assert magenta, f"{page}: the conclusions section is not on the first screen"
        assert magenta[0] < 600, f"{page}: the conclusions start at {magenta[0]} px, too far down"


def test_the_heatmap_keeps_neighbouring_statuses_apart_in_greyscale(tmp_path):
    (page,) = [p for p in write_reports(load_case(EXAMPLE), tmp_path / "out", ["html"]) if p.name == "report.html"]
    glance = view(tmp_path, page, "header, main > section:not(#glance) { display: none; }")
    counts = colours(screenshot(tmp_path, glance, height=900, width=1400)[2])
    drawn = {s: rgb for s, rgb in STATUS_RGB.items() if counts.get(rgb, 0) > 100}
    assert set(drawn) == set(STATUS_RGB), f"statuses not drawn: {set(STATUS_RGB) - set(drawn)}"
    grey = {s: 0.299 * r + 0.587 * g + 0.114 * b for s, (r, g, b) in drawn.items()}  # what a greyscale print shows
    ladder = list(STATUS_RGB)
    steps = [grey[a] - grey[b] for a, b in zip(ladder, ladder[1:])]
    assert min(steps) >= 15, f"neighbouring statuses too close in grey: {dict(zip(ladder[1:], steps))}"


def test_the_printed_report_keeps_its_page_budget_and_a_legible_heatmap(tmp_path):
    copy = tmp_path / "zt" / "report.html"
    copy.parent.mkdir()
    copy.write_text(ZERO_TOLERANCE_REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    body = view(tmp_path, copy, "#appendix-a, #appendix-b, #appendix-c, #appendix-d { display: none; }")
    pages = pdf_pages(print_pdf(tmp_path, body))
    assert 10 < pages <= PAGE_BUDGET, f"{pages} printed pages before the appendices (budget {PAGE_BUDGET})"
    # the heatmap prints on a page of its own at a size one can read: its cells keep their colour
    # (print-color-adjust) and are at least 4 mm wide on an A4 page rendered at 96 dpi
    glance = view(tmp_path, copy, "main > section:not(#glance), header, #glance > p.note { display: none; }")
    pdf = print_pdf(tmp_path, glance)
    assert pdf_pages(pdf) == 1, "the heatmap does not fit one printed page"
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: the printed heatmap's size is not checked")
    png = tmp_path / "glance"
    subprocess.run(["pdftoppm", "-r", "96", "-png", "-singlefile", str(tmp_path / f"{glance.stem}.pdf"), str(png)],
                   check=True, timeout=60)
    rows = read_png(png.with_suffix(".png").read_bytes())[2]
    none = bytes(STATUS_RGB["none"])
    runs = [max((len(m.group(0)) // 3 for m in re.finditer(b"(?:" + re.escape(none) + b")+", row)), default=0)
            for row in rows]
    assert max(runs) >= 15, f"the printed heatmap's cells are {max(runs)} px wide at 96 dpi"
