"""Every program Podium runs is declared in scripts/system-programs.txt, which system-deps.sh installs from.

A program that only a hand-installed machine has (sox once) would pass CI there and
fail on a fresh one; these tests catch it in the source, before any machine does.
"""
from __future__ import annotations

import ast
import os
import subprocess
from pathlib import Path

import pytest

from app.system_programs import PROGRAMS_FILE, ProgramMissing, declared_programs, find_program, missing_programs

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = ("app", "tests", "bench", "migrations")
SUBPROCESS_CALLS = {"run", "Popen", "call", "check_call", "check_output"}
LOOKUP_CALLS = {"find_program", "which"}


def python_files() -> list[Path]:
    return [p for folder in SOURCE_DIRS for p in (ROOT / folder).rglob("*.py")] + [ROOT / "wsgi.py"]


def program_uses(tree: ast.AST) -> list[tuple[int, str, str]]:
    """(line, what, program) for each program named in *tree*: looked up by name, or run by a literal name."""
    uses = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        first = node.args[0] if node.args else None
        if name in LOOKUP_CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str):
            uses.append((node.lineno, "looked up", first.value))
        elif name in SUBPROCESS_CALLS and isinstance(first, (ast.List, ast.Tuple)) and first.elts:
            head = first.elts[0]
            if isinstance(head, ast.Constant) and isinstance(head.value, str):
                uses.append((node.lineno, "run by literal name", head.value))
        elif name == "system" and isinstance(node.func, ast.Attribute):
            uses.append((node.lineno, "run through a shell", "os.system"))
    return uses


def test_every_program_the_code_runs_is_declared_and_found_through_find_program():
    problems = []
    for path in python_files():
        for line, what, program in program_uses(ast.parse(path.read_text(), str(path))):
            where = f"{path.relative_to(ROOT)}:{line}"
            if what != "looked up":
                problems.append(f"{where}: {program} {what}; use find_program(name) so a missing one is reported")
            elif program not in declared_programs():
                problems.append(f"{where}: {program} is not declared in {PROGRAMS_FILE.name}")
    assert not problems, "\n".join(problems)


def test_the_scan_sees_literal_and_undeclared_programs():
    """The scan itself can fail: a literal `sox` call and an undeclared lookup are both found."""
    tree = ast.parse("import subprocess, shutil\nsubprocess.run(['sox', 'a.wav'])\nshutil.which('ffmpeg')\n")
    assert program_uses(tree) == [(2, "run by literal name", "sox"), (3, "looked up", "ffmpeg")]


def test_an_undeclared_program_is_refused_with_a_clear_message():
    undeclared = "sox"  # what the browser tests once ran without saying so
    with pytest.raises(ProgramMissing, match="sox is not declared in system-programs.txt"):
        find_program(undeclared)


def test_every_declared_program_is_installed_here():
    # The suite's start refuses to run otherwise; this says which one, as a test.
    assert [p.install_hint for p in missing_programs("test")] == []


def test_system_deps_reads_the_declared_list(tmp_path):
    programs = tmp_path / "programs.txt"
    programs.write_text("# program package needed-by where\npodium-no-such-program  podium-fake-package  test  -\n")
    script = ROOT / "scripts" / "system-deps.sh"
    env = os.environ | {"PODIUM_PROGRAMS_FILE": str(programs)}
    bash = find_program("bash")
    for_tests = subprocess.run([bash, str(script), "test", "--dry-run"], env=env, capture_output=True, text=True)
    for_running = subprocess.run([bash, str(script), "run", "--dry-run"], env=env, capture_output=True, text=True)
    assert for_tests.returncode == 1 and "podium-fake-package" in for_tests.stdout
    assert for_running.returncode == 0, for_running.stdout  # a test-only program is not needed to run the app
