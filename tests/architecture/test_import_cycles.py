"""No module of clinic_desk imports itself in a circle, not even for type hints.

The graph comes from grimp (import-linter's engine), which reads the source without
importing it and counts every import: top level, inside functions, and under
``if TYPE_CHECKING:``. A cycle fails the test with its modules and line numbers.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import grimp
import pytest

PACKAGE = "clinic_desk"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # cache_dir=None: nothing written next to the sources.
    return grimp.build_graph(PACKAGE, cache_dir=None)


def strongly_connected(graph: grimp.ImportGraph, modules: set[str]) -> Iterator[list[str]]:
    """Tarjan's algorithm over ``modules``: every group of modules that import each other in a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative, so a long chain of imports cannot hit the recursion limit.
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start) & modules)))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    imported = graph.find_modules_directly_imported_by(successor) & modules
                    work.append((successor, iter(sorted(imported))))
                    break
                if successor in on_stack:
                    low[module] = min(low[module], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    groups.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return iter(group for group in groups if len(group) > 1)


def describe_cycle(graph: grimp.ImportGraph, group: list[str]) -> str:
    """One concrete circle through the group, each step with the line that imports."""
    first = group[0]
    steps: list[str] = []
    for successor in sorted(graph.find_modules_directly_imported_by(first) & set(group)):
        back = graph.find_shortest_chain(importer=successor, imported=first)
        if back is None:
            continue
        chain = (first, *back)
        for importer, imported in itertools.pairwise(chain):
            details = graph.get_import_details(importer=importer, imported=imported)
            where = ", ".join(f"line {detail['line_number']}" for detail in details) or "?"
            steps.append(f"  {importer} -> {imported} ({where})")
        break
    return "\n".join(steps)


def test_the_package_has_no_import_cycles(graph: grimp.ImportGraph) -> None:
    cycles = [describe_cycle(graph, group) for group in strongly_connected(graph, set(graph.modules))]
    assert not cycles, "Import cycles in clinic_desk:\n" + "\n\n".join(cycles)


def test_the_cycle_finder_names_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(module)
    graph.add_import(importer="pkg.a", imported="pkg.b", line_number=3, line_contents="import pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.a", line_number=7, line_contents="import pkg.a")
    graph.add_import(importer="pkg.c", imported="pkg.a", line_number=1, line_contents="import pkg.a")
    [group] = strongly_connected(graph, set(graph.modules))
    assert group == ["pkg.a", "pkg.b"]
    assert describe_cycle(graph, group) == "  pkg.a -> pkg.b (line 3)\n  pkg.b -> pkg.a (line 7)"


def test_every_public_error_is_importable_from_the_package() -> None:
    """Callers catch Clinic Desk's errors without knowing where they live."""
    import clinic_desk
    from clinic_desk.domain import errors

    public = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, errors.ClinicDeskError)
    }
    assert public <= set(clinic_desk.__all__)
    assert all(getattr(clinic_desk, name) is getattr(errors, name) for name in public)
