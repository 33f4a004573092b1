"""Every name a bench script imports from the app exists: benches run by hand, so a moved module
would otherwise break one silently until someone measures again."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def app_imports(path: Path) -> list[tuple[int, str, str]]:
    """(line, module, name) for each ``from app… import name`` anywhere in *path*, functions included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "app":
            found += [(node.lineno, node.module, alias.name) for alias in node.names]
    return found


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("*.py")))
def test_bench_imports_resolve(script):
    missing = []
    for line, module, name in app_imports(BENCH / script):
        try:
            imported = importlib.import_module(module)
        except ImportError as exc:
            missing.append(f"{script}:{line}: {module} ({exc})")
            continue
        if not hasattr(imported, name):
            try:
                importlib.import_module(f"{module}.{name}")
            except ImportError:
                missing.append(f"{script}:{line}: {module} has no {name}")
    assert not missing, "\n".join(missing)


def test_the_check_sees_a_missing_name(tmp_path):
    script = tmp_path / "bench.py"
    script.write_text("def run():\n    from app.analysis.engines.local import clean_word\n")
    assert app_imports(script) == [(2, "app.analysis.engines.local", "clean_word")]
    assert not hasattr(importlib.import_module("app.analysis.engines.local"), "clean_word")
