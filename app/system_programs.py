"""The programs outside the virtual environment that Podium runs, as declared in scripts/system-programs.txt.

Code that starts one asks ``find_program(name)`` for its path, so an undeclared or
missing program fails with one line that says what to install.
"""
from __future__ import annotations

import glob
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROGRAMS_FILE = Path(__file__).resolve().parent.parent / "scripts" / "system-programs.txt"


class ProgramMissing(RuntimeError):
    """A declared program is not installed, or a program was asked for that nobody declared."""


@dataclass(frozen=True)
class Program:
    name: str
    package: str
    needed_by: str  # "run" (the app) or "test" (the suite and benches)
    where: str | None  # a glob to look at when the program is not on PATH

    def path(self) -> str | None:
        on_path = shutil.which(self.name)
        if on_path or not self.where:
            return on_path
        return next(iter(sorted(glob.glob(self.where), reverse=True)), None)

    @property
    def install_hint(self) -> str:
        return f"{self.name} (Debian package {self.package})"


@cache
def declared_programs() -> dict[str, Program]:
    programs = {}
    for line in PROGRAMS_FILE.read_text().splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        name, package, needed_by, where = fields[:4]
        programs[name] = Program(name, package, needed_by, None if where == "-" else where)
    return programs


def find_program(name: str) -> str:
    """The path of a declared program; ProgramMissing names the package when it is not installed."""
    program = declared_programs().get(name)
    if program is None:
        raise ProgramMissing(f"{name} is not declared in {PROGRAMS_FILE.name}; add it there with its Debian package.")
    path = program.path()
    if path is None:
        target = "make test" if program.needed_by == "test" else "make run"
        raise ProgramMissing(f"{program.install_hint} is not installed; `{target}` installs it.")
    return path


def missing_programs(mode: str) -> list[Program]:
    """Declared programs needed for *mode* ("run", or "test", which includes run) that are not installed."""
    wanted = {"run"} if mode == "run" else {"run", "test"}
    return [p for p in declared_programs().values() if p.needed_by in wanted and p.path() is None]
