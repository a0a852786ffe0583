"""The package's layout shows the pipeline: the stage folders import only from earlier stages (clean →
repair → describe → publish), and no module imports another that imports it back."""
from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter

from tests.conftest import ROOT

PACKAGE = ROOT / "build_tools"
STAGES = ["clean", "repair", "describe", "publish"]


def module_name(path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """{module: the build_tools modules it imports (at any depth of the file, type-checking blocks aside)}."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                and ast.unparse(node.test) == "TYPE_CHECKING" for n in ast.walk(node)}
        for node in ast.walk(tree):
            if id(node) in skip or not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                for candidate in (f"{target}.{alias.name}", target):
                    if candidate in modules:
                        found.add(candidate)
                        break
        graph[name] = found - {name}
    return graph


def test_no_import_cycles():
    try:
        tuple(TopologicalSorter(imports()).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {' -> '.join(error.args[1])}") from None


def test_stage_folders_import_only_earlier_stages():
    wrong = []
    for module, targets in imports().items():
        stage = module.split(".")[1] if module.count(".") >= 2 else None
        if stage not in STAGES:
            continue
        for target in targets:
            other = target.split(".")[1] if target.count(".") >= 2 else None
            if other in STAGES and STAGES.index(other) > STAGES.index(stage):
                wrong.append(f"{module} imports {target}")
            elif other is None and target not in ("build_tools.vocab", "build_tools.errors"):
                wrong.append(f"{module} imports the orchestration module {target}")
    assert not wrong, wrong
