"""One palette for every status colour of the report: the heatmap, the matrix cells, the legend.

The seven rungs of the status ladder run from light to dark (ColorBrewer's
YlGnBu, 7 classes: safe for red-green colour blindness and ordered in
lightness, so neighbouring statuses stay apart in greyscale and in print).
Colour only adds to the status: every cell also carries its letter or word.
"""

from __future__ import annotations

from ...model.case import Status

STATUS_FILL = {
    Status.consulted.value: "#ffffcc",
    Status.informed.value: "#c7e9b4",
    Status.leadership_only.value: "#7fcdbb",
    Status.indirect.value: "#41b6c4",
    Status.same_day.value: "#1d91c0",
    Status.after.value: "#225ea8",
    Status.none.value: "#0c2c84",
}
DARK_INK, LIGHT_INK = "#1b1f24", "#ffffff"
# One letter per status for the heatmap's cells; the legend spells them out.
STATUS_LETTER = {
    Status.consulted.value: "C",
    Status.informed.value: "I",
    Status.leadership_only.value: "L",
    Status.indirect.value: "T",  # through a third party
    Status.same_day.value: "S",
    Status.after.value: "A",
    Status.none.value: "N",
}


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG), 0 black .. 1 white."""
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# Text on each fill: whichever of dark or white reads better on it (at least 4.5:1 on this palette).
STATUS_INK = {s: max((DARK_INK, LIGHT_INK), key=lambda ink: contrast(fill, ink)) for s, fill in STATUS_FILL.items()}


def css() -> str:
    """The status classes for the HTML page: st-<status> for table cells, legend keys and SVG cells."""
    out = []
    for s, fill in STATUS_FILL.items():
        ink = STATUS_INK[s]
        out.append(f"td.st-{s}, .key.st-{s} {{ background: {fill} !important; color: {ink}; }}")
        out.append(f"svg .cell.st-{s} rect {{ fill: {fill}; }} svg .cell.st-{s} text {{ fill: {ink}; }}")
    return "\n".join(out)
