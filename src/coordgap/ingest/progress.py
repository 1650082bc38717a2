"""A one-line progress display for long ingests: on a terminal only, quiet in pipes."""

from __future__ import annotations

import sys
import time


class Progress:
    """Counts messages and shows the count and messages/s on standard error when it is a terminal.

    Our own few lines rather than tqdm or rich: one counter and one rate is all
    an ingest shows, and it must cost nothing per message (the display is
    redrawn at most five times a second).
    """

    def __init__(self, enabled: bool | None = None, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.start = time.perf_counter()
        self.count = 0
        self._next = 0.0
        self.label = ""

    def step(self, n: int = 1) -> None:
        self.count += n
        if self.enabled and not self.count & 255:
            now = time.perf_counter()
            if now >= self._next:
                self._next = now + 0.2
                self._draw(now)

    def _draw(self, now: float) -> None:
        rate = self.count / max(now - self.start, 1e-9)
        self.stream.write(f"\ringest: {self.count:,} messages, {rate:,.0f} messages/s  {self.label[-40:]:<40}")
        self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()
