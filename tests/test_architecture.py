"""The shape of the code, read from its imports: no import cycles, and a speech library that stands alone."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"
# The model modules of users, their schools and classes name each other's classes in relationship()
# annotations (typing-only imports): the one loop allowed.
ALLOWED_CYCLES = [{"app.models.classes", "app.models.schools", "app.models.users"}]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in APP.rglob("*.py")}


def imported_modules(name: str) -> set[str]:
    """Every module of ``app`` that *name* imports, anywhere in its body (functions and TYPE_CHECKING too)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join([*base, node.module] if node.module else base)
            # "from package import module" imports the module; "from module import name" the module itself.
            found.update(f"{target}.{a.name}" if f"{target}.{a.name}" in MODULES else target for a in node.names)
    return {module for module in found if module in MODULES and module != name}


def import_cycles() -> list[set[str]]:
    """Groups of modules that import each other in a loop (Tarjan's strongly connected components)."""
    graph = {name: imported_modules(name) for name in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                cycles.append(group)

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return cycles


def test_no_module_of_the_app_imports_itself_in_a_loop():
    unexpected = [sorted(group) for group in import_cycles() if group not in ALLOWED_CYCLES]
    assert unexpected == []


def test_the_cycle_finder_sees_a_loop(tmp_path, monkeypatch):
    # The check above is only as good as this: two modules importing each other are found.
    fake = {"app.x": tmp_path / "x.py", "app.y": tmp_path / "y.py", "app.z": tmp_path / "z.py"}
    fake["app.x"].write_text("from app import y\n")
    fake["app.y"].write_text("def later():\n    from .x import thing\n")
    fake["app.z"].write_text("import app.x\n")
    monkeypatch.setattr(f"{__name__}.MODULES", fake)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert import_cycles() == [{"app.x", "app.y"}]


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n == "app.analysis" or n.startswith("app.analysis.")))
def test_the_speech_library_imports_nothing_from_the_rest_of_the_app_nor_flask(name):
    outside = {m for m in imported_modules(name) if not m.startswith("app.analysis")}
    assert outside == set()
    tree = ast.parse(MODULES[name].read_text())
    third_party = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                   for alias in node.names}
    third_party |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    and node.module and not node.level}
    assert not third_party & {"flask", "flask_login", "flask_sqlalchemy", "sqlalchemy", "werkzeug"}


def _calls_and_names(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            yield f"{ast.unparse(node.func.value)}.{node.func.attr}"
        elif isinstance(node, ast.Attribute):
            yield ast.unparse(node)


def test_settings_come_from_the_environment_in_config_only_and_are_read_without_a_second_default():
    readers = {}
    for name, path in MODULES.items():
        used = set(_calls_and_names(path))
        wrong = {u for u in used if u.endswith("config.get") or u in ("os.environ", "os.getenv")}
        if wrong and name != "app.config":
            readers[name] = sorted(wrong)
    assert readers == {}


# Names that lead to a path under the upload folder. Only the store (app/storage) turns the folder into
# paths, and Config defines the setting; everything else goes through storage() and storage keys.
UPLOAD_FOLDER_NAMES = {"UPLOAD_DIR", "PODIUM_UPLOAD_DIR", "audio_path"}
STORE_MODULES = {"app.config"} | {n for n in MODULES if n == "app.storage" or n.startswith("app.storage.")}


def upload_folder_uses(path: Path) -> set[str]:
    """The upload-folder names a module uses: as a string ("UPLOAD_DIR"), a name or an attribute."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
        elif isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
    return found & UPLOAD_FOLDER_NAMES


def test_only_the_store_touches_the_upload_folder():
    users = {name: sorted(upload_folder_uses(path)) for name, path in MODULES.items() if name not in STORE_MODULES}
    assert {name: used for name, used in users.items() if used} == {}


def test_the_upload_folder_scan_sees_a_path_built_from_the_setting(tmp_path):
    # The check above is only as good as this: each way of reaching the folder is seen.
    module = tmp_path / "m.py"
    module.write_text("from flask import current_app\n"
                      "def f(session):\n"
                      "    return current_app.config['UPLOAD_DIR'], session.audio_path, Config.UPLOAD_DIR\n")
    assert upload_folder_uses(module) == {"UPLOAD_DIR", "audio_path"}
