"""SQL fragments declare what they need and take (issue 14 §3).

The renderer includes a fragment's needs first, each CTE fragment once and in
order; a fragment's ``binds`` line lists exactly the parameters its text uses;
a parameter the caller does not bind is an error naming the fragment.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine

from analytics import queries
from analytics.queries import PARAMETER, QUERY_DIR, MissingParameter, fragment, render, run_query
from analytics.scope import Filters, Scope
from analytics.settings import load_settings

FRAGMENTS = sorted(p.stem.removeprefix("_") for p in QUERY_DIR.glob("_*.sql"))
QUERIES = sorted(p.stem for p in QUERY_DIR.glob("*.sql") if not p.stem.startswith(("_", "stg_")))


@pytest.mark.parametrize("name", FRAGMENTS)
def test_each_fragment_declares_the_parameters_it_takes(name):
    text = queries.read_sql("_" + name)
    uses = set(PARAMETER.findall(re.sub(r"\{\{[^}]*\}\}", "", text)))
    assert set(fragment(name).binds) == uses, f"_{name}.sql: -- binds: {', '.join(sorted(uses))}"
    for need in fragment(name).needs:
        assert need in FRAGMENTS and not fragment(need).expression, f"_{name}.sql needs {need}"


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_holds_each_cte_fragment_once(name):
    sql = render(name, Scope.company(), Filters())[0]
    for piece in FRAGMENTS:
        if fragment(piece).expression:
            continue
        first = re.search(r"^([a-z_]+) AS", re.sub(r"--[^\n]*", "", queries.read_sql("_" + piece)), re.M)
        assert first is not None, piece
        assert len(re.findall(rf"^{first.group(1)} AS\b", sql, re.M)) <= 1, (name, piece)


def test_the_workload_queries_name_their_fragments_and_get_their_needs_in_order():
    sql = render("workload_managers_live", Scope.company(), Filters())[0]
    order = [
        "classified AS",  # opportunity_state
        "stints AS",  # stage_stints
        "stint_ages AS",
        "open_flags AS",  # problem_flags
        "stage_rates AS",  # win_rates_cached
        "current_stints AS",  # win_probability
        "team_history AS",  # workload_teams
        "closed_in_trailing AS",  # workload_events
        "workload_movers AS",  # workload_facts
        "team_benchmarks AS",  # workload_rows
    ]
    places = [sql.index(f"\n{cte}") for cte in order]
    assert places == sorted(places)
    assert queries.read_sql("workload_managers_live").count("{{ include") == 2


def test_the_cached_workload_queries_read_the_per_manager_facts_only():
    """Over cache_workload_facts a scorecard reads no event: no activity, no stage change, no deal."""
    for name in ("workload_managers", "workload_people", "workload_ranking", "workload_team_medians"):
        sql = render(name, Scope.company(), Filters())[0]
        assert "cache_workload_facts" in sql
        for source in (
            "stg_activities",
            "stg_stage_history",
            "cache_opportunity_facts",
            "closed_in_trailing",
        ):
            assert source not in sql, (name, source)
        live = render(f"{name}_live", Scope.company(), Filters())[0]
        assert "cache_workload_facts" not in live and "closed_in_trailing" in live


@pytest.fixture
def fragments_dir(tmp_path, monkeypatch):
    """A folder of made-up fragments in place of analytics/queries."""
    monkeypatch.setattr(queries, "QUERY_DIR", tmp_path)
    queries.read_sql.cache_clear()
    queries.fragment.cache_clear()
    yield tmp_path
    queries.read_sql.cache_clear()
    queries.fragment.cache_clear()


def write(folder, name: str, text: str) -> None:
    (folder / f"{name}.sql").write_text(text, encoding="utf-8")


def test_needs_come_first_once_and_expressions_each_time(fragments_dir):
    write(fragments_dir, "_base", "-- binds: as_of\nbase AS (SELECT CAST(:as_of AS DATE) AS d)")
    write(fragments_dir, "_left", "-- needs: base\nleft_side AS (SELECT d FROM base)")
    write(fragments_dir, "_right", "-- needs: base, left\nright_side AS (SELECT d FROM left_side)")
    write(fragments_dir, "_double", "-- kind: expression\n2 * {{ include one }}")
    write(fragments_dir, "_one", "-- kind: expression\n1")
    write(
        fragments_dir,
        "q",
        "WITH\n{{ include right }},\n{{ include left }},\n{{ include base }},\n"
        "done AS (SELECT {{ include double }} + {{ include one }} AS n FROM right_side)\nSELECT n FROM done",
    )
    sql = render("q", Scope.company(), Filters())[0]
    body = re.sub(r"--[^\n]*\n", "", sql)
    assert re.findall(r"([a-z_]+) AS \(", body) == ["base", "left_side", "right_side", "done"]
    assert "2 * 1 + 1 AS n" in body
    engine = create_engine("duckdb:///:memory:")
    with engine.connect() as conn:
        frame = run_query(
            conn, "q", scope=Scope.company(), filters=Filters(), settings=load_settings(),
            params={"as_of": "2026-06-30"},
        )  # fmt: skip
    assert frame["n"].tolist() == [3]


def test_a_parameter_left_unbound_is_named_with_its_fragment(fragments_dir):
    write(
        fragments_dir,
        "_dated",
        "-- binds: as_of, horizon\ndated AS (SELECT CAST(:as_of AS DATE) + :horizon AS d)",
    )
    write(fragments_dir, "q", "WITH\n{{ include dated }}\nSELECT d FROM dated")
    engine = create_engine("duckdb:///:memory:")
    with (
        engine.connect() as conn,
        pytest.raises(MissingParameter, match=r"q: not bound: :horizon \(_dated\.sql\)"),
    ):
        run_query(
            conn, "q", scope=Scope.company(), filters=Filters(), settings=load_settings(),
            params={"as_of": "2026-06-30"},
        )  # fmt: skip


def test_fragments_that_need_each_other_are_refused(fragments_dir):
    write(fragments_dir, "_a", "-- needs: b\na AS (SELECT 1)")
    write(fragments_dir, "_b", "-- needs: a\nb AS (SELECT 1)")
    write(fragments_dir, "q", "WITH\n{{ include a }}\nSELECT 1")
    with pytest.raises(ValueError, match="a -> b -> a"):
        render("q", Scope.company(), Filters())


def test_an_expression_fragment_takes_arguments_each_time_it_is_included(fragments_dir):
    write(
        fragments_dir,
        "_pair",
        "-- kind: expression\n-- takes: alias, side\n{{ alias }}.value_{{ side }} AS value",
    )
    write(
        fragments_dir,
        "q",
        "SELECT {{ include pair alias=p side=a }}, {{ include pair alias=q side=b }} FROM t AS p, t AS q",
    )
    body = re.sub(r"--[^\n]*\n", "", render("q", Scope.company(), Filters())[0])
    assert body == "SELECT p.value_a AS value, q.value_b AS value FROM t AS p, t AS q"
    for given, refused in (("alias=p", "takes alias, side"), ("alias=p side=a;", "not a name")):
        write(fragments_dir, "q", f"SELECT {{{{ include pair {given} }}}} FROM t AS p")
        queries.read_sql.cache_clear()
        with pytest.raises(ValueError, match=refused):
            render("q", Scope.company(), Filters())


def test_the_movement_column_lists_are_written_once():
    """The pair's columns and a side's snapshot columns: one fragment each, used where needed."""
    for name in ("movement_pairs_cached", "movement_pairs_scratch", "_movement_cached"):
        assert "{{ include movement_pair_columns" in queries.read_sql(name)
        assert queries.read_sql(name).count("waterfall_part") <= 1, name
    for name in ("_movement_sides", "build_movement_pairs", "movement_trend"):
        assert "{{ include snapshot_side_columns" in queries.read_sql(name)
        assert queries.read_sql(name).count(".customer_name,") == 0, name
    assert queries.read_sql("_movement_cached").count("{{ include movement_side_inputs") == 2


def test_parameters_that_follow_from_the_question_are_bound_unless_given(fragments_dir):
    """blocks.binds computes what a query's files use and its caller did not give (the caller wins)."""
    from datetime import date
    from types import SimpleNamespace

    from analytics.blocks.binds import BINDERS, derived_params

    question = SimpleNamespace(as_of=date(2026, 6, 30), settings=load_settings(), filters=Filters())
    write(fragments_dir, "_won", "-- kind: expression\n-- binds: won_stage\n:won_stage")
    write(fragments_dir, "q", "SELECT CAST(:year AS INTEGER) AS y, {{ include won }} AS w, :idle_since AS i")
    asked: list[list[str]] = []

    def derive(names: list[str]) -> dict:
        asked.append(sorted(names))
        return derived_params(question, names)

    engine = create_engine("duckdb:///:memory:")
    with engine.connect() as conn:
        run = lambda **params: run_query(  # noqa: E731
            conn, "q", scope=Scope.company(), filters=Filters(), settings=load_settings(), params=params,
            derive=derive,
        )  # fmt: skip
        first = run().iloc[0]
        given = run(year=2025).iloc[0]
    assert (int(first["y"]), int(first["w"]), str(first["i"])[:10]) == (2026, 4, "2026-05-01")  # idle_days 60
    assert int(given["y"]) == 2025 and asked[1] == ["idle_since", "won_stage"]
    used = {p for q in QUERY_DIR.glob("*.sql") for p in PARAMETER.findall(q.read_text(encoding="utf-8"))}
    assert set(BINDERS) <= used, set(BINDERS) - used  # no binder for a parameter no query takes
