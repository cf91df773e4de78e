"""Each page computes exactly its declared calls (analytics/pages.py), which the benchmarks run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analytics.pages import PAGE_CALLS, SIDEBAR_CALLS, PageCalls

ROOT = Path(__file__).resolve().parent.parent


def computed(path: Path) -> list[ast.expr]:
    """The first argument of every ``data.compute(...)`` in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.args[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "compute"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "data"
    ]


def declared_key(path: Path) -> str | None:
    """The key of ``calls = PAGE_CALLS["…"]`` in a page, if it has one."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["calls"]
            and isinstance(node.value, ast.Subscript)
            and getattr(node.value.value, "id", None) == "PAGE_CALLS"
        ):
            return node.value.slice.value
    return None


@pytest.mark.parametrize("page", sorted(p.stem for p in (ROOT / "pages").glob("*.py")))
def test_a_page_computes_its_declared_calls_and_only_those(page):
    path = ROOT / "pages" / f"{page}.py"
    arguments = computed(path)
    if not arguments:
        assert page not in PAGE_CALLS, f"{page} computes nothing but declares calls"
        return
    assert declared_key(path) == page, f'pages/{page}.py takes its functions from PAGE_CALLS["{page}"]'
    for argument in arguments:
        assert isinstance(argument, ast.Attribute) and getattr(argument.value, "id", None) == "calls", (
            f"pages/{page}.py line {argument.lineno}: data.compute takes calls.<function> "
            "(declare the function in analytics/pages.py)"
        )
    used = {argument.attr for argument in arguments}
    assert used == set(PAGE_CALLS[page].names()), "declared but never called, or called but not declared"


def test_the_sidebar_computes_its_declared_calls():
    names = {getattr(a, "id", getattr(a, "attr", None)) for a in computed(ROOT / "ui" / "filters.py")}
    assert names == set(SIDEBAR_CALLS.names())


def test_a_call_not_declared_is_refused_by_name():
    calls = PAGE_CALLS["workload"]
    assert calls.workload.__name__ == "workload"
    assert [f.__name__ for f in calls] == calls.names()
    with pytest.raises(AttributeError, match="not among this page's declared calls"):
        _ = calls.year_end_forecast
    assert isinstance(calls, PageCalls)
