"""Machine checks of the layering and settings rules in ARCHITECTURE.md."""

from __future__ import annotations

import ast
import pkgutil
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import analytics
from analytics.queries import QUERY_DIR, render
from analytics.scope import Filters, Scope
from analytics.settings import Settings, describe, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_analytics_never_imports_streamlit():
    modules = [
        m.name
        for m in pkgutil.walk_packages(analytics.__path__, "analytics.")
        if not m.name.endswith("__main__")
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'ui', 'pages'))\n"
        "print(bad)\nraise SystemExit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(modules) > 10


def test_pages_hold_no_sql():
    sql_words = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE)\b\s", re.IGNORECASE)
    for page in (ROOT / "pages").glob("*.py"):
        tree = ast.parse(page.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not sql_words.search(node.value), f"SQL-like text in {page.name}: {node.value[:60]}"
        imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
        for node in imports:
            names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            for name in names:
                assert not (name or "").startswith(("sqlalchemy", "duckdb", "psycopg")), page.name


def test_every_setting_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for item in describe():
        assert item["help"].strip(), item["name"]
        assert f"`{item['name']}`" in readme, f"setting {item['name']} is not documented in README.md"


def test_settings_from_environment():
    got = load_settings(
        {"SJGK_IDLE_DAYS": "45", "SJGK_ONE_OFF_FEE_ITEMS": "调测费, 安装费", "SJGK_KEY_TOP_SHARE": "0.2"}
    )
    assert got.idle_days == 45
    assert got.one_off_fee_items == ["调测费", "安装费"]
    assert got.key_top_share == 0.2
    assert load_settings({}).idle_days == Settings().idle_days


def test_queries_carry_no_threshold_literals():
    """Numbers in SQL are structural (0, 1, 12 months, 100 in YYYYMM, p50/p90) or settings."""
    allowed = {"0", "1", "12", "12.0", "100", "0.5", "0.9"}
    for path in QUERY_DIR.glob("*.sql"):
        body = "\n".join(line.split("--")[0] for line in path.read_text(encoding="utf-8").splitlines())
        for literal in re.findall(r"(?<![\w.:])\d+(?:\.\d+)?(?![\w.])", body):
            assert literal in allowed, f"{path.name}: literal {literal} should be a setting"


def test_scope_and_filters_become_bound_parameters():
    evil = "浦东' OR '1'='1"
    sql, params, _ = render("pipeline_summary", Scope.of_branch(evil), Filters(products=(evil,)))
    assert evil not in sql
    assert evil in params.values()
    assert ":scope_value" in sql and ":f_products_0" in sql


def test_every_query_renders_for_every_scope():
    scopes = [
        Scope.company(),
        Scope.of_branch("b"),
        Scope.of_team("b", "t"),
        Scope.of_owner("o"),
        Scope.nothing(),
    ]
    for path in QUERY_DIR.glob("[a-z]*.sql"):
        for scope in scopes:
            sql, _, _ = render(path.stem, scope, Filters())
            assert "{{" not in sql, path.name
    names = {f.name for f in fields(Settings)}
    assert "database_url" in names


def test_every_label_used_exists_in_both_languages():
    from ui.catalogue import HELP, LABELS

    used = set()
    for path in [*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").rglob("*.py"), ROOT / "app.py"]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\(\"([a-z0-9_]+)\"\)", text))
        used |= {m for m in re.findall(r"\bh\(\"([a-z0-9_]+)\"\)", text)}
    missing = sorted(k for k in used if k not in LABELS and k not in HELP)
    assert not missing, f"labels used but not in the catalogue: {missing}"
    for key, (zh, en) in {**LABELS, **HELP}.items():
        assert zh.strip() and en.strip(), key


def test_every_page_gets_its_viewer_through_the_gate():
    """A page run directly (a fresh server's first deep link) must still require sign-in."""
    for page in (ROOT / "pages").glob("*.py"):
        text = page.read_text(encoding="utf-8")
        assert "page_viewer()" in text, f"{page.name} must call ui.session.page_viewer()"
        assert 'st.session_state["viewer"]' not in text, page.name


def test_the_loader_ends_at_a_committed_batch():
    """analytics/loader imports neither the forecast nor the derived tables (not even through
    another module): what a commit sets off is analytics/ingest.py's, one layer up."""
    from analytics import loader

    modules = [m.name for m in pkgutil.walk_packages(loader.__path__, "analytics.loader.")]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('analytics.forecast', 'analytics.derived')))\n"
        "print(bad)\nraise SystemExit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(modules) > 10
    for path in (ROOT / "analytics" / "loader").rglob("*.py"):  # nor inside a function
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            bad = [n for n in names if n.startswith(("analytics.forecast", "analytics.derived"))]
            assert not bad, f"{path.name} imports {bad}"


def test_imports_keep_the_layers():
    """import-linter's contracts in pyproject.toml hold: every analytics module sits in a layer
    and imports only from layers below it (so derived, context, metrics and forecast form no
    cycle), pages -> ui -> analytics, and neither analytics nor the label catalogue imports
    Streamlit.  Counts imports inside functions too."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    hint = (
        "\n\nA new module of analytics/ gets a row in pyproject.toml's [tool.importlinter] layers "
        "(ARCHITECTURE.md); an import that points up moves the shared part down (e.g. to "
        "analytics/blocks/) or the importer up (command-line code beside cli/commands)."
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:] + hint
    assert "BROKEN" not in result.stdout and "0 broken" in result.stdout, result.stdout[-2000:] + hint


def test_analytics_type_checks():
    """mypy, as configured in pyproject.toml (analytics/, with its listed exemptions), finds
    nothing: the same check as `make types`, here so that `make test` catches it too."""
    mypy = Path(sys.executable).with_name("mypy")
    result = subprocess.run([str(mypy)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_only_dialect_py_asks_which_database():
    """DuckDB and PostgreSQL differ in analytics/dialect.py alone (ARCHITECTURE.md): no other
    module reads the dialect's or URL backend's name, or makes DDL conditional on a dialect."""
    asks = re.compile(r"dialect\.name|dialect=|get_backend_name|dialect_name\(")
    for path in [
        *(ROOT / "analytics").rglob("*.py"),
        *(ROOT / "ui").rglob("*.py"),
        *(ROOT / "pages").glob("*.py"),
    ]:
        if path.name == "dialect.py" and path.parent.name == "analytics":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not asks.search(line), (
                f"{path.relative_to(ROOT)}:{number} asks which database: {line.strip()}"
            )


def test_every_step_after_a_commit_has_a_label():
    from analytics import ingest
    from ui.catalogue import LABELS

    for code, _label in (
        ingest.DERIVED,
        ingest.BACKTEST,
        ingest.PAST_RATES,
        ingest.CHECKPOINT,
        ingest.FREEZE,
    ):
        assert f"step_{code}" in LABELS, code
