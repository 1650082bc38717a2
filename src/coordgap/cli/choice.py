"""An option that takes one name from a list (a format, a severity) and, when the name given is
not one of them, names the closest: `'jsn' is not one of 'text', 'json'; did you mean 'json'?`."""

from __future__ import annotations

import click

from ..io.bundled import did_you_mean


class Choice(click.Choice):
    """click.Choice whose error adds 'did you mean' (io/bundled.did_you_mean)."""

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            hint = did_you_mean(str(value), [str(c) for c in self.choices])
            if hint:
                exc.message = f"{exc.message.rstrip('.')}{hint}"
            raise
