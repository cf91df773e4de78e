"""The demo generator: deterministic, shaped like the schema, internally consistent.

Every check recomputes what it asserts from the frames themselves (never from
the generator's internals), at scale 0.05 so the whole file runs in seconds.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics import schema
from analytics.demo.export import export
from analytics.demo.generate import generate

SEED = 20261125
AS_OF = dt.date(2026, 11, 25)
SCALE = 0.05
TERMINAL = {"won", "lost", "terminated"}


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate(SEED, AS_OF, SCALE)


@pytest.fixture(scope="module")
def newest(frames) -> pd.DataFrame:
    snap = frames["opportunity_snapshot"]
    return snap[snap["snapshot_date"] == pd.Timestamp(AS_OF)]


def _schema_columns(name: str) -> list[str]:
    return [c for c in schema.metadata.tables[name].columns.keys() if c != "load_id"]


def test_same_seed_same_frames_other_seed_differs(frames):
    again = generate(SEED, AS_OF, SCALE)
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(frame, again[name], check_exact=True)
    other = generate(SEED + 1, AS_OF, SCALE)
    assert not other["opportunity_snapshot"].equals(frames["opportunity_snapshot"])
    assert not other["activities"].equals(frames["activities"])


def test_columns_are_the_schema_tables_without_load_id(frames):
    assert set(frames) == set(schema.DATA_TABLES)
    for name in schema.DATA_TABLES:
        assert list(frames[name].columns) == _schema_columns(name), name


def test_not_null_columns_and_dtypes(frames):
    for name, frame in frames.items():
        for col in schema.metadata.tables[name].columns:
            if col.name == "load_id":
                continue
            values = frame[col.name]
            if not col.nullable:
                assert values.notna().all(), f"{name}.{col.name} has nulls"
            kind = type(col.type).__name__
            if kind == "Boolean":
                assert values.dtype == bool, f"{name}.{col.name}"
            elif kind in ("Date", "DateTime"):
                assert str(values.dtype).startswith("datetime64"), f"{name}.{col.name}"
            elif kind == "String":
                assert values.dtype == object
                assert all(v is None or type(v) is str for v in values), f"{name}.{col.name}"
            elif kind == "Numeric":
                assert values.dtype == float and (values.round(2) == values).all()


def test_scale_multiplies_counts():
    small = generate(SEED, AS_OF, SCALE)
    double = generate(SEED, AS_OF, 2 * SCALE)
    n_small = small["opportunity_snapshot"]["opportunity_id"].nunique()
    n_double = double["opportunity_snapshot"]["opportunity_id"].nunique()
    assert n_double == 2 * n_small
    assert 1.7 < len(double["activities"]) / len(small["activities"]) < 2.3


def test_org_roles_ids_and_moves(frames):
    org, hist = frames["org"], frames["org_history"]
    assert org["staff_id"].is_unique and org["staff_id"].str.fullmatch(r"S\d{5}").all()
    roles = org["role"].value_counts()
    assert roles["director"] == 2 and roles["analyst"] == 2 and roles["branch_head"] == 8

    # A team is branch + name: the same name (金融一组) is a different team in each branch.
    def teams_of(role: str) -> set[tuple[str, str]]:
        return set(org.loc[org["role"] == role, ["branch", "team"]].itertuples(index=False, name=None))

    assert teams_of("team_manager") == teams_of("account_manager")
    branches_per_name = org.dropna(subset=["team"]).groupby("team")["branch"].nunique()
    assert branches_per_name.max() >= 2, "the demo keeps a team name that repeats across branches"
    assert set(org["branch"].dropna()) == {"浦东", "徐汇", "静安", "黄浦", "闵行", "嘉定", "宝山", "松江"}
    current = hist[hist["valid_to"].isna()].set_index("staff_id")
    assert current.index.is_unique and set(current.index) == set(org["staff_id"])
    assert (
        current.loc[org["staff_id"], "team"].fillna("-").to_numpy() == org["team"].fillna("-").to_numpy()
    ).all()
    closed = hist[hist["valid_to"].notna()]
    assert len(closed) >= 1
    for _, row in closed.iterrows():
        new = current.loc[row["staff_id"]]
        assert new["valid_from"] == row["valid_to"] + pd.Timedelta(days=1)
        assert (new["branch"], new["team"]) != (row["branch"], row["team"])


def test_snapshots_are_weekly_and_counted(frames):
    snaps, rows = frames["snapshots"], frames["opportunity_snapshot"]
    expected = [pd.Timestamp(AS_OF - dt.timedelta(days=7 * k)) for k in range(11, -1, -1)]
    assert list(snaps["snapshot_date"]) == expected
    counts = rows.groupby("snapshot_date").size()
    assert (counts.loc[snaps["snapshot_date"]].to_numpy() == snaps["row_count"].to_numpy()).all()
    assert not rows.duplicated(["snapshot_date", "opportunity_id"]).any()


def test_each_snapshot_lists_every_opportunity_created_by_then(frames, newest):
    rows = frames["opportunity_snapshot"]
    created = newest.set_index("opportunity_id")["created_date"]
    assert (created <= pd.Timestamp(AS_OF)).all()
    assert created.min() >= pd.Timestamp(AS_OF - dt.timedelta(days=730))
    for day, snap in rows.groupby("snapshot_date"):
        assert set(snap["opportunity_id"]) == set(created.index[created <= day])
    static = ["name", "customer_id", "product", "owner_id", "created_date", "key_flag", "competitor"]
    assert (rows.groupby("opportunity_id")[static].nunique(dropna=False) == 1).all().all()


def test_status_stage_and_closed_date(frames):
    rows = frames["opportunity_snapshot"]
    assert set(rows["status"]) == {"open", "won", "lost", "terminated"}
    assert rows["stage"].between(0, 5).all()
    assert (rows["closed_date"].notna() == (rows["status"] != "open")).all()
    closed = rows[rows["closed_date"].notna()]
    assert (closed["closed_date"] <= closed["snapshot_date"]).all()
    assert (closed["closed_date"] >= closed["created_date"]).all()
    assert (rows.loc[rows["status"] == "won", "stage"] >= 4).all()
    assert (rows.loc[rows["stage"] == 5, "status"] == "won").all()
    assert set(rows["business_type"]) == {"basic", "transformation"}
    assert set(rows["origin"]) == {"mined", "dispatched"}
    assert rows["opportunity_id"].str.fullmatch(r"OPP20\d{2}\d{6}").all()


def _state_from_history(history: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Status and stage as of a day, from the stage history alone."""
    upto = history[history["changed_at"].dt.normalize() <= day].sort_values(["opportunity_id", "changed_at"])
    stage = upto["to_stage"].fillna(upto["from_stage"])
    upto = upto.assign(stage=stage.astype(int))
    return upto.groupby("opportunity_id").last()[["to_status", "stage"]]


def test_snapshots_agree_with_stage_history(frames):
    history = frames["stage_history"]
    for day, snap in frames["opportunity_snapshot"].groupby("snapshot_date"):
        state = _state_from_history(history, day).loc[snap["opportunity_id"]]
        assert (state["to_status"].to_numpy() == snap["status"].to_numpy()).all(), day
        assert (state["stage"].to_numpy() == snap["stage"].to_numpy()).all(), day


def test_stage_history_rows(frames, newest):
    h = frames["stage_history"].sort_values(["opportunity_id", "changed_at"])
    first = h.groupby("opportunity_id").head(1)
    assert first["from_stage"].isna().all() and (first["to_status"] == "open").all()
    created = newest.set_index("opportunity_id")["created_date"]
    assert (
        first["changed_at"].dt.normalize().to_numpy() == created.loc[first["opportunity_id"]].to_numpy()
    ).all()
    assert h["from_stage"].isna().sum() == len(first)
    assert (h["changed_at"] < pd.Timestamp(AS_OF + dt.timedelta(days=1))).all()
    assert (h["changed_at"].dt.hour.between(9, 18)).all()
    assert (h.groupby("opportunity_id")["changed_at"].diff().dropna() > pd.Timedelta(0)).all()
    terminal = h["to_status"].isin(TERMINAL)
    assert h.loc[h["to_stage"].isna(), "to_status"].isin(TERMINAL).all()
    assert h.loc[h["to_status"] == "open", "to_stage"].notna().all()
    after_win = terminal & h["to_stage"].notna()
    assert (h.loc[after_win, "to_status"] == "won").all() and (h.loc[after_win, "to_stage"] == 5).all()
    prev_stage = h["to_stage"].fillna(h["from_stage"]).groupby(h["opportunity_id"]).shift()
    moved = h["from_stage"].notna()
    assert (h.loc[moved, "from_stage"].astype(int) == prev_stage[moved].astype(int)).all()


def test_process_has_skips_backward_moves_and_outcome_mix(frames, newest):
    moves = frames["stage_history"].dropna(subset=["from_stage", "to_stage"])
    back = (moves["to_stage"] < moves["from_stage"]).sum()
    skips = (moves["to_stage"] - moves["from_stage"] > 1).sum()
    n = len(newest)
    assert 0.005 * n < back < 0.08 * n and skips > 0.02 * n
    share = newest["status"].value_counts(normalize=True)
    assert 0.25 < share["won"] < 0.45 and 0.30 < share["lost"] < 0.52
    assert 0.04 < share["terminated"] < 0.17 and 0.05 < share["open"] < 0.30
    recent = newest[newest["created_date"] > pd.Timestamp(AS_OF - dt.timedelta(days=30))]
    assert (recent["status"] == "open").mean() > 0.7
    competitive = newest[newest["status"].isin(TERMINAL) & newest["competitor"].notna()]
    plain = newest[newest["status"].isin(TERMINAL) & newest["competitor"].isna()]
    assert (competitive["status"] == "lost").mean() > (plain["status"] == "lost").mean()
    assert 0.15 < newest["competitor"].notna().mean() < 0.35
    assert 0.3 < newest["campaign"].notna().mean() < 0.5
    assert 0.2 < (newest["origin"] == "dispatched").mean() < 0.4


def test_values_and_flags(newest):
    value = newest["annual_value"]
    assert 0.55 < value.between(10_000, 80_000).mean() < 0.9
    assert 0.03 < (value >= 100_000).mean() < 0.3
    assert 0.005 < newest["key_flag"].mean() < 0.1
    assert newest["abnormal"].sum() >= 1
    assert (newest.loc[newest["abnormal"], "status"] == "open").all()
    assert set(newest["customer_tier"]) <= {"金卡", "银卡", "普通"}


def test_slips_and_revaluations_between_snapshots(frames):
    rows = frames["opportunity_snapshot"]
    ecd = rows.pivot(index="opportunity_id", columns="snapshot_date", values="expected_close_date")
    later = (ecd.diff(axis=1) > pd.Timedelta(0)).sum(axis=1)
    assert (later > 0).sum() >= 5
    assert (later > 1).sum() >= 1
    value = rows.pivot(index="opportunity_id", columns="snapshot_date", values="annual_value")
    assert (value.diff(axis=1).abs() > 0).any(axis=1).sum() >= 3


def test_aia_case(newest):
    aia = newest[newest["customer_name"].str.contains("友邦保险")]
    main = aia[aia["annual_value"] >= 6_000_000]
    assert len(main) == 1
    row = main.iloc[0]
    assert row["status"] == "open" and row["stage"] >= 3
    assert row["competitor"] and row["demonstration"] and row["key_flag"]
    assert row["product"] in ("综合VPN", "数据专线") and row["customer_tier"] == "金卡"


def test_activities(frames, newest):
    acts = frames["activities"]
    assert acts["activity_id"].is_unique
    assert (acts["activity_date"] <= pd.Timestamp(AS_OF)).all()
    assert set(acts["staff_id"]) <= set(frames["org"]["staff_id"])
    assert 0.05 < acts["opportunity_id"].isna().mean() < 0.3
    tied = acts.dropna(subset=["opportunity_id"])
    created = newest.set_index("opportunity_id")["created_date"]
    assert set(tied["opportunity_id"]) <= set(created.index)
    assert (tied["activity_date"].to_numpy() >= created.loc[tied["opportunity_id"]].to_numpy()).all()
    owner = newest.set_index("opportunity_id")["owner_id"]
    assert (tied["staff_id"].to_numpy() == owner.loc[tied["opportunity_id"]].to_numpy()).all()
    assert set(acts["type"]) == {"visit", "call", "proposal", "meeting", "senior_visit", "solution_review"}
    open_ids = newest.loc[
        (newest["status"] == "open") & (newest["created_date"] < pd.Timestamp(AS_OF) - pd.Timedelta(days=45)),
        "opportunity_id",
    ]
    last = tied.groupby("opportunity_id")["activity_date"].max().reindex(open_ids)
    idle = last.isna() | (last < pd.Timestamp(AS_OF) - pd.Timedelta(days=30))
    assert 0 < idle.sum() < len(open_ids)


def test_support_requests(frames, newest):
    sup = frames["support_requests"]
    assert sup["request_id"].is_unique and set(sup["opportunity_id"]) <= set(newest["opportunity_id"])
    resolved = sup.dropna(subset=["resolved_date"])
    assert (resolved["resolved_date"] >= resolved["requested_date"]).all()
    assert (sup["requested_date"] <= pd.Timestamp(AS_OF)).all() and (
        resolved["resolved_date"] <= pd.Timestamp(AS_OF)
    ).all()
    assert sup["resolved_date"].isna().any() and set(sup["type"]) == {"technical", "resource", "business"}


def test_contracts_one_per_won_opportunity(frames, newest):
    con = frames["contracts"]
    won = newest[newest["status"] == "won"].set_index("opportunity_id")
    assert con["contract_id"].is_unique and con["contract_id"].str.startswith("HT").all()
    assert sorted(con["opportunity_id"]) == sorted(won.index)
    opp = won.loc[con["opportunity_id"]]
    assert (con["signed_date"].to_numpy() == opp["closed_date"].to_numpy()).all()
    assert set(con["term_months"]) <= {12, 24, 36}
    expected = opp["annual_value"].to_numpy() * con["term_months"].to_numpy() / 12
    assert np.allclose(con["amount"], expected, rtol=0.06)
    assert (con["owner_id"].to_numpy() == opp["owner_id"].to_numpy()).all()


def test_revenue_periods_and_contract_rows(frames):
    rev, con = frames["revenue"], frames["contracts"].set_index("contract_id")
    periods = sorted(rev["period"].unique())
    last_month = pd.Timestamp(AS_OF).to_period("M") - 1
    assert (
        periods[0] == (AS_OF.year - 1) * 100 + 1 and periods[-1] == last_month.year * 100 + last_month.month
    )
    assert len(periods) == 12 + AS_OF.month - 1
    assert (rev.loc[rev["amount"] < 0, "fee_item"] == "收入调整").all() and (
        rev["fee_item"] == "收入调整"
    ).sum() >= 3
    assert {"月租费", "调测费", "安装费"} <= set(rev["fee_item"])
    tied = rev.dropna(subset=["contract_id"])
    assert set(tied["contract_id"]) <= set(con.index)
    signed = con.loc[tied["contract_id"], "signed_date"]
    signed_period = (signed.dt.year * 100 + signed.dt.month).to_numpy()
    assert (tied["period"].to_numpy() > signed_period).all()
    assert (tied["product"].to_numpy() == con.loc[tied["contract_id"], "product"].to_numpy()).all()
    assert set(rev["branch"]) == set(frames["org"]["branch"].dropna())


def test_revenue_branch_is_the_owners_branch_at_signing(frames):
    rev, con, hist = (
        frames["revenue"].dropna(subset=["contract_id"]),
        frames["contracts"],
        frames["org_history"],
    )
    pairs = (
        rev[["contract_id", "branch", "owner_id"]]
        .drop_duplicates()
        .merge(con[["contract_id", "signed_date"]])
    )
    merged = pairs.merge(hist, left_on="owner_id", right_on="staff_id", suffixes=("", "_hist"))
    valid = (merged["valid_from"] <= merged["signed_date"]) & (
        merged["valid_to"].isna() | (merged["signed_date"] <= merged["valid_to"])
    )
    at_signing = merged[valid]
    assert len(at_signing) == len(pairs)
    assert (at_signing["branch"] == at_signing["branch_hist"]).all()


def test_budget_covers_the_year_and_brackets_time_progress(frames):
    bud, rev = frames["budget"], frames["revenue"]
    assert (bud["year"] == AS_OF.year).all()
    assert bud["month"].dropna().between(1, 12).all()
    annual_only = bud[bud["month"].isna()][["branch", "product"]]
    assert len(annual_only) >= 1
    monthly = bud.dropna(subset=["month"])
    assert annual_only.merge(monthly[["branch", "product"]]).empty
    assert (monthly.groupby(["branch", "product"]).size() == 12).all()
    assert bud.groupby(["branch", "product"]).ngroups == 8 * 9
    if AS_OF.month == 1:
        return  # nothing of the year is loaded yet: attainment is 0 everywhere
    actual = rev[rev["period"] // 100 == AS_OF.year].groupby(["branch", "product"])["amount"].sum()
    attainment = actual / bud.groupby(["branch", "product"])["amount"].sum()
    ratio = attainment / (AS_OF.timetuple().tm_yday / 365)
    assert (ratio > 1.05).sum() >= 3, "some lines should be clearly ahead of time progress"
    assert (ratio < 0.85).sum() >= 3, "some lines should be clearly behind time progress"


def test_targets_per_account_manager(frames):
    tgt, org = frames["targets"], frames["org"]
    ams = org.loc[org["role"] == "account_manager", "staff_id"]
    assert sorted(tgt["staff_id"]) == sorted(ams) and (tgt["year"] == AS_OF.year).all()
    assert (tgt["amount"] > 0).all()


def test_january_as_of_has_no_current_year_revenue_yet():
    jan = dt.date(2026, 1, 12)
    out = generate(7, jan, SCALE)
    assert out["revenue"]["period"].max() == 202512 and out["revenue"]["period"].min() == 202501
    assert (out["budget"]["year"] == 2026).all() and out["budget"]["amount"].sum() > 0
    assert out["snapshots"]["snapshot_date"].max() == pd.Timestamp(jan)


EXPECTED_FILES = [
    "组织架构.csv",
    f"商机清单_{AS_OF - dt.timedelta(days=7):%Y%m%d}.csv",
    f"商机清单_{AS_OF:%Y%m%d}.csv",
    "阶段变更记录.csv",
    "营销活动记录.txt",
    "支撑需求.csv",
    "合同.csv",
    "收入列帐.csv",
    "收入预算.xlsx",
    "个人目标.csv",
]


def test_export_files_and_encodings(frames, newest, tmp_path):
    paths = export(frames, tmp_path)
    assert [p.name for p in paths] == EXPECTED_FILES
    assert (tmp_path / "README.txt").read_text(encoding="utf-8").count("rows]") == len(paths)
    for name in (EXPECTED_FILES[2], "收入列帐.csv"):
        raw = (tmp_path / name).read_bytes()
        raw.decode("gb18030")
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    for name in ("组织架构.csv", "阶段变更记录.csv", "支撑需求.csv", "合同.csv", "个人目标.csv"):
        assert (tmp_path / name).read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "收入预算.xlsx").read_bytes().startswith(b"PK")
    opp = pd.read_csv(tmp_path / EXPECTED_FILES[2], encoding="gb18030", dtype=str, keep_default_na=False)
    assert len(opp) == len(newest) and opp.columns[0] == "商机编号" and opp.columns[-1] == "导出日期"
    assert opp["阶段"].str.fullmatch(r"阶段[0-5]").all() and set(opp["状态"]) == {
        "跟进中",
        "赢单",
        "丢单",
        "中止",
    }
    amounts = opp["预计年综合收益"].str.replace(",", "").astype(float)
    assert np.allclose(amounts.to_numpy(), newest["annual_value"].to_numpy())
    acts = pd.read_csv(tmp_path / "营销活动记录.txt", sep="\t", encoding="utf-8", dtype=str)
    assert (
        len(acts) == len(frames["activities"])
        and acts["日期"].str.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日").all()
    )
    rev = pd.read_csv(tmp_path / "收入列帐.csv", encoding="gb18030", dtype=str)
    assert "金额(万元)" in rev.columns
    assert rev["金额(万元)"].astype(float).sum() * 10_000 == pytest.approx(
        frames["revenue"]["amount"].sum(), rel=1e-9
    )
    hist = pd.read_csv(tmp_path / "阶段变更记录.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert set(hist["新阶段"]) >= {"赢单", "丢单", "中止", "1"} and (hist["原阶段"] == "").sum() == len(
        newest
    )
