"""The layers depend one way only (docs/architecture.md):

    cica_admin.core  <-  registry  <-  meetings  <-  finance  <-  cica_admin (the rest)

Every import of the project's own packages is read from the source, the lazy ones
inside functions too, and checked against what its layer may import.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ("cica_admin", "registry", "meetings", "finance")
CORE = "cica_admin.core"

#: What each layer may import of the project, besides itself.
ALLOWED = {
    CORE: (),
    "registry": (CORE,),
    "meetings": (CORE, "registry"),
    "finance": (CORE, "registry", "meetings"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path):
    """(line, module) for every import in ``path``, relative ones made absolute."""
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module
            for alias in node.names:  # "from cica_admin import roles" names a module
                yield node.lineno, f"{module}.{alias.name}"


def layer_of(module: str) -> str | None:
    if module == CORE or module.startswith(CORE + "."):
        return CORE
    top = module.split(".")[0]
    if top == "cica_admin":
        return "composition"
    return top if top in PROJECT else None


def within(module: str, layer: str) -> bool:
    return module == layer or module.startswith(layer + ".")


def violations(paths):
    found = []
    for path in paths:
        layer = layer_of(module_name(path))
        if layer not in ALLOWED:
            continue  # the composition may import every layer
        for line, module in imported_modules(path):
            target = layer_of(module)
            if target is None or target == layer:
                continue
            if not any(within(module, allowed) for allowed in ALLOWED[layer]):
                where = f"{path.relative_to(ROOT)}:{line}"
                if not found or not found[-1].startswith(where + " "):
                    found.append(f"{where} imports {module}")
    return found


def source_files():
    for package in PROJECT:
        yield from (ROOT / package).rglob("*.py")


def test_each_layer_imports_only_the_layers_below_it():
    assert violations(source_files()) == []


def module(tmp_path, monkeypatch, where, source):
    """A module at ``where`` in a project rooted at ``tmp_path``, holding ``source``."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    path = tmp_path / where
    path.parent.mkdir(parents=True)
    path.write_text(source)
    return path


@pytest.mark.parametrize(
    ("where", "source"),
    [
        ("cica_admin/core/example.py", "from registry.models import Party\n"),
        ("cica_admin/core/example.py", "from cica_admin import roles\n"),
        ("cica_admin/core/example.py", "from ..reporting import kinds\n"),
        ("registry/example.py", "from cica_admin.reporting import render\n"),
        ("registry/example.py", "def f():\n    from meetings.models import Meeting\n"),
        ("meetings/example.py", "import finance.models\n"),
    ],
)
def test_an_import_against_the_layers_is_found(tmp_path, monkeypatch, where, source):
    """The check itself can fail: each of these imports breaks a layer."""
    assert len(violations([module(tmp_path, monkeypatch, where, source)])) == 1


@pytest.mark.parametrize(
    ("where", "source"),
    [
        ("cica_admin/core/example.py", "from .history import tracked_models\n"),
        ("registry/example.py", "from cica_admin.core.dates import Precision\n"),
        ("finance/example.py", "from meetings.models import Meeting\n"),
        ("cica_admin/reporting/example.py", "from finance import reports\n"),
    ],
)
def test_an_import_along_the_layers_is_allowed(tmp_path, monkeypatch, where, source):
    assert violations([module(tmp_path, monkeypatch, where, source)]) == []
