"""The layers package stays plain Python: it never imports streamlit."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_module_in_layers_imports_streamlit() -> None:
    offenders = []
    for path in (ROOT / "layers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert offenders == []


def test_using_layers_end_to_end_loads_no_streamlit() -> None:
    code = (
        "import sys, datetime as dt\n"
        "import layers\n"
        "from layers.cli import main\n"
        "snapshot = layers.build_snapshot(layers.load_dataset(), layers.TimeSelection(dt.date(2024, 12, 20)))\n"
        "layers.build_feature_collection(snapshot)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
