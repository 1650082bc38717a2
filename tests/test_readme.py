"""The README's Python snippet runs as written, from a folder that is not the checkout (issue #11)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from conftest import ROOT


def test_the_python_snippet_runs_from_any_folder(tmp_path):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use it from Python", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, flags=re.S).group(1)
    env = dict(os.environ)
    src = str(ROOT / "src")  # a source checkout run with PYTHONPATH=src, or the installed package
    env["PYTHONPATH"] = os.pathsep.join(p for p in (env.get("PYTHONPATH", ""), src) if p)
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "decision" in res.stdout and "hhs-orr" in res.stdout  # the matrix, then the missing organisations
    assert list(tmp_path.iterdir()) == []  # it wrote nothing where it ran
