"""The floor plan of the apps, read from their imports.

``core`` is the ground floor: every app stands on its helpers, so it imports no app. ``demo`` is
the roof: the demo data and the walk know every app, and no app knows them. Between the two each
app has its floor (``FLOORS``) and imports only from the floors below it, so there is no cycle.

The graph is read from the source with ``ast``: every ``import`` and ``from ... import`` of a
project app, also those inside functions (a late import is still a dependency); migrations are
left out (they name the apps their models relate to, which is the models' business).
"""

import ast
from functools import cache
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# The floors, ground floor first. An app imports only apps on the floors below its own, so no
# import can close a cycle. The README's architecture section shows the same table (tested below).
FLOORS = [
    ("ground", ["core"]),
    ("people and the record", ["accounts", "audit", "notifications"]),
    ("tenants and their rule books", ["municipalities"]),
    ("cases", ["applications"]),
    ("around a case", ["consultations", "discussion", "funds", "projects"]),
    ("review, evaluation and repayment", ["evaluation", "repayment", "reviews"]),
    ("decisions", ["decisions"]),
    ("follow-up", ["reporting"]),
    ("interfaces", ["api", "dashboards", "exports"]),
    ("roof", ["demo"]),
]
FLOOR_OF = {app: number for number, (_name, apps) in enumerate(FLOORS) for app in apps}


def project_apps():
    return sorted(path.parent.name for path in ROOT.glob("*/apps.py"))


def imported_modules(tree):
    """The absolute modules a file imports (relative imports stay inside their app)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


@cache
def import_graph():
    """{(app, imported app): [files that import it]}, for every pair of distinct project apps."""
    apps = set(project_apps())
    edges = {}
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            for module in imported_modules(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
                imported = module.split(".")[0]
                if imported in apps and imported != app:
                    edges.setdefault((app, imported), []).append(str(path.relative_to(ROOT)))
    return edges


def reaches(edges, start, goal):
    neighbours = {}
    for a, b in edges:
        neighbours.setdefault(a, set()).add(b)
    seen, todo = set(), [start]
    while todo:
        app = todo.pop()
        if app == goal:
            return True
        if app not in seen:
            seen.add(app)
            todo.extend(neighbours.get(app, ()))
    return False


def back_edges(edges):
    """The edges a -> b where b reaches a again: exactly the edges that lie on a cycle."""
    return {(a, b) for a, b in edges if reaches(edges, b, a)}


def test_the_graph_sees_the_apps():
    apps = project_apps()
    assert {"core", "demo", "applications", "funds"} <= set(apps)
    assert ("applications", "core") in import_graph()


def test_core_imports_no_app():
    edges = import_graph()
    assert {(a, b): files for (a, b), files in edges.items() if a == "core"} == {}


def test_no_app_imports_demo():
    edges = import_graph()
    assert {(a, b): files for (a, b), files in edges.items() if b == "demo"} == {}


def test_every_app_stands_on_a_floor():
    assert sorted(FLOOR_OF) == project_apps()


def test_every_import_goes_down_a_floor():
    upward = {(a, b): files for (a, b), files in import_graph().items() if FLOOR_OF.get(b, 99) >= FLOOR_OF.get(a, -1)}
    assert upward == {}, "These imports reach an app on the same floor or above: turn them around."


def test_no_cycles_between_apps():
    edges = import_graph()
    cycles = back_edges(edges)
    assert {edge: files for edge, files in edges.items() if edge in cycles} == {}


def test_the_readme_shows_the_floors():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for number, (name, apps) in enumerate(FLOORS):
        row = f"| {number} | {name} | {', '.join(f'`{app}`' for app in apps)} |"
        assert row in readme, row
