"""Replays docs/writing-a-case.md step by step, so the tutorial cannot go stale.

The tutorial is written as a reader follows it, with a few HTML comments that
say what each block does (invisible on the rendered page):

* ``<!-- copy: SRC -> DEST -->`` copies a file or folder of the checkout
  (the source excerpts) into the working folder;
* ``<!-- file: PATH -->`` before a fenced block: the reader writes PATH with
  exactly the block's text (mistakes included, as a beginner types them);
* ``<!-- edit: PATH -->`` before a ``diff`` block: the reader fixes PATH,
  replacing the ``-`` lines with the ``+`` lines (the old lines must occur
  exactly once);
* a ``console`` block: ``$ coordgap ...`` lines are commands, the lines up to
  the next ``$`` what the command prints.

`replay` runs each command in a fresh working folder, in the state the
tutorial has reached, and returns what it printed beside what the tutorial
shows. Run this file as a script to rewrite the tutorial's console blocks from
real runs (then read every changed message before committing:
``PYTHONPATH=src python tests/tutorial_doc.py``).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "writing-a-case.md"

MARKER = re.compile(r"<!--\s*(copy|file|edit):\s*(.+?)\s*-->")
FENCE = re.compile(r"^```(\S*)\s*$")


@dataclass
class Step:
    kind: str  # copy | file | edit | console
    arg: str = ""
    text: str = ""
    start: int = 0  # line index of the block's first content line (console), for rewriting
    end: int = 0  # line index of the closing fence
    commands: list[tuple[str, str]] = field(default_factory=list)  # (command, expected output)


def parse(text: str) -> list[Step]:
    lines = text.split("\n")
    steps: list[Step] = []
    pending: tuple[str, str] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        m = MARKER.search(line)
        if m:
            kind, arg = m.group(1), m.group(2)
            if kind == "copy":
                steps.append(Step("copy", arg))
            else:
                pending = (kind, arg)
            i += 1
            continue
        f = FENCE.match(line)
        if f and f.group(1):
            lang = f.group(1)
            j = i + 1
            while not lines[j].startswith("```"):
                j += 1
            body = lines[i + 1:j]
            if pending is not None:
                kind, arg = pending
                if kind == "edit" and lang != "diff":
                    raise ValueError(f"line {i + 1}: an edit marker must precede a diff block")
                steps.append(Step(kind, arg, "\n".join(body) + "\n", i + 1, j))
                pending = None
            elif lang == "console":
                step = Step("console", start=i + 1, end=j)
                cmd, out = None, []
                for b in body:
                    if b.startswith("$ "):
                        if cmd is not None:
                            step.commands.append((cmd, "\n".join(out)))
                        cmd, out = b[2:], []
                    elif cmd is not None:
                        out.append(b)
                if cmd is not None:
                    step.commands.append((cmd, "\n".join(out)))
                steps.append(step)
            i = j + 1
            continue
        i += 1
    if pending is not None:
        raise ValueError(f"a {pending[0]} marker for {pending[1]} has no block after it")
    return steps


def apply_edit(path: Path, diff: str) -> None:
    """Replace each run of '-' lines with the '+' lines that follow it."""
    text = path.read_text(encoding="utf-8")
    hunks: list[tuple[list[str], list[str]]] = []
    for line in diff.rstrip("\n").split("\n"):
        sign, rest = line[:1], line[1:]
        if sign == "-":
            if not hunks or hunks[-1][1]:
                hunks.append(([], []))
            hunks[-1][0].append(rest)
        elif sign == "+":
            if not hunks:
                hunks.append(([], []))
            hunks[-1][1].append(rest)
        else:
            raise ValueError(f"{path.name}: a diff line must start with - or +: {line!r}")
    for old, new in hunks:
        if not old:  # only '+' lines: appended at the end
            text = text + "\n".join(new) + "\n"
            continue
        before = "\n".join(old) + "\n"
        after = "\n".join(new) + "\n" if new else ""
        if text.count(before) != 1:
            raise ValueError(f"{path.name}: the lines to replace occur {text.count(before)} times: {before!r}")
        text = text.replace(before, after)
    path.write_text(text, encoding="utf-8")


def run_command(cmd: str, cwd: Path) -> str:
    """What `coordgap ...` prints (stdout and stderr, as a terminal shows them), run in cwd."""
    from click.testing import CliRunner

    from coordgap.cli.main import main

    argv = shlex.split(cmd)
    if argv[0] != "coordgap":
        raise ValueError(f"the tutorial runs only coordgap commands, not {cmd!r}")
    old = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, argv[1:], catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.output.rstrip("\n")


def replay(work: Path, doc: Path = DOC):
    """Yield (step, command, expected, got) for every command of the tutorial, in order."""
    for step in parse(doc.read_text(encoding="utf-8")):
        if step.kind == "copy":
            src, dest = (s.strip() for s in step.arg.split("->"))
            s, d = ROOT / src, work / dest
            d.parent.mkdir(parents=True, exist_ok=True)
            if s.is_dir():
                shutil.copytree(s, d)
            else:
                shutil.copyfile(s, d)
        elif step.kind == "file":
            p = work / step.arg
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(step.text, encoding="utf-8")
        elif step.kind == "edit":
            apply_edit(work / step.arg, step.text)
        else:
            for cmd, expected in step.commands:
                yield step, cmd, expected, run_command(cmd, work)


def update(doc: Path = DOC) -> int:
    """Rewrite every console block's output from a real run; returns the number of blocks changed."""
    import tempfile

    lines = doc.read_text(encoding="utf-8").split("\n")
    new_blocks: dict[int, tuple[int, list[str]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for step, cmd, _expected, got in replay(Path(tmp), doc):
            body = new_blocks.setdefault(step.start, (step.end, []))[1]
            body.append(f"$ {cmd}")
            body.extend(got.split("\n") if got else [])
    changed = 0
    for start in sorted(new_blocks, reverse=True):
        end, body = new_blocks[start]
        if lines[start:end] != body:
            changed += 1
            lines[start:end] = body
    doc.write_text("\n".join(lines), encoding="utf-8")
    return changed


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    print(f"{update()} console block(s) rewritten in {DOC.relative_to(ROOT)}")
