"""The suite's guard on outside programs (scripts/system-programs.txt).

At start: every declared program must be installed, or the run stops with one line
that says what to install. During the run: every program a test starts is noted, and
one that is neither declared nor part of the virtual environment fails the run.
Under pytest-xdist each worker notes its own and hands them to the controller, which
reports for the whole run (a worker's exit status does not reach `make test`).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import traceback

import pytest

from app.system_programs import declared_programs, missing_programs

_original_popen_init = subprocess.Popen.__init__
_undeclared: set[str] = set()
_STDLIB = os.path.realpath(sysconfig.get_paths()["stdlib"])


def _is_known(executable: str) -> bool:
    path = os.path.realpath(shutil.which(executable) or executable)
    # Programs inside the virtual environment (celery, gunicorn, playwright's driver) come from requirements.
    if path.startswith(os.path.realpath(sys.prefix)) or path == os.path.realpath(sys.executable):
        return True
    return path in {os.path.realpath(found) for p in declared_programs().values() if (found := p.path())}


def _caller() -> str:
    """The innermost frame outside the standard library: the code that asked for the program."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        if not os.path.realpath(frame.filename).startswith(_STDLIB):
            return f"{frame.filename}:{frame.lineno}"
    return "the standard library"


def _audited_popen_init(self, args, *rest, **kwargs):
    if kwargs.get("shell"):
        _undeclared.add(f"a shell command ({args!r:.60})")
    else:
        executable = kwargs.get("executable") or (args if isinstance(args, (str, bytes, os.PathLike)) else args[0])
        if not _is_known(os.fsdecode(executable)):
            _undeclared.add(f"{os.fsdecode(executable)} (started from {_caller()})")
    _original_popen_init(self, args, *rest, **kwargs)


def pytest_sessionstart(session):
    missing = missing_programs("test")
    if missing:
        pytest.exit("Missing programs: " + ", ".join(p.install_hint for p in missing)
                    + ". `make test` (scripts/system-deps.sh test) installs them.", returncode=4)
    subprocess.Popen.__init__ = _audited_popen_init


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """On the xdist controller: a worker finished; take the programs it saw."""
    _undeclared.update(getattr(node, "workeroutput", {}).get("undeclared_programs", ()))


def pytest_sessionfinish(session, exitstatus):
    subprocess.Popen.__init__ = _original_popen_init
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker
        workeroutput["undeclared_programs"] = sorted(_undeclared)
        return
    if _undeclared:
        session.exitstatus = 1
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        line = "Programs run but not declared in scripts/system-programs.txt: " + ", ".join(sorted(_undeclared))
        if reporter:
            reporter.write_line(line, red=True)
        else:
            print(line, file=sys.stderr)
