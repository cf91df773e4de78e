"""The demo's export files are written from the loader's field list (issue 14 §4).

A column added to a kind in analytics/loader/kinds.py appears in the exported
file, headed as the contract names it, with no change to analytics/demo/export.py.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from analytics.demo import export
from analytics.demo.generate import generate
from analytics.loader.kinds import KINDS, Field

FILES = {
    "org": "组织架构.csv",
    "stage_history": "阶段变更记录.csv",
    "support_requests": "支撑需求.csv",
    "targets": "个人目标.csv",
}


def headers(path, encoding="utf-8-sig", sep=","):
    with open(path, encoding=encoding, newline="") as handle:
        return next(csv.reader(handle, delimiter=sep))


def test_every_file_is_headed_by_its_kinds_fields_in_order(tmp_path):
    frames = generate(3, date(2026, 11, 20), scale=0.02)
    export.export(frames, tmp_path)
    for kind, name in FILES.items():
        assert headers(tmp_path / name) == [f.headers[0] for f in KINDS[kind].fields], kind
    opportunities = sorted(tmp_path.glob("商机清单_*.csv"))[-1]
    assert headers(opportunities, "gbk") == [f.headers[0] for f in KINDS["opportunities"].fields]
    revenue = headers(tmp_path / "收入列帐.csv", "gbk")
    assert revenue == [
        f.headers[0] + ("(万元)" if f.name == "amount" else "") for f in KINDS["revenue"].fields
    ]


def test_a_field_added_to_a_kind_is_exported_without_a_change_to_the_exporter(tmp_path, monkeypatch):
    org = KINDS["org"]
    added = (Field("email", "text", ("邮箱", "email")), Field("joined", "date", ("入职日期", "joined")))
    monkeypatch.setitem(KINDS, "org", replace(org, fields=org.fields + added))
    frame = pd.DataFrame(
        {
            "staff_id": ["A1", "A2"],
            "name": ["张三", "李四"],
            "role": ["account_manager", "team_manager"],
            "team": ["金融一组", "金融一组"],
            "branch": ["浦东", "浦东"],
            "active": [True, False],
            "email": ["a1@example.cn", None],
            "joined": [date(2024, 3, 5), None],
        }
    )
    (path,) = export._org({"org": frame}, tmp_path)
    written = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(written.columns) == ["工号", "姓名", "角色", "团队", "分局", "在职", "邮箱", "入职日期"]
    assert written["邮箱"].tolist() == ["a1@example.cn", ""]
    assert written["入职日期"].tolist() == ["2024-03-05", ""]
    assert written["角色"].tolist() == ["客户经理", "团队经理"]


def test_the_generator_leaves_a_nullable_column_it_does_not_make_empty():
    """A column added to the schema needs no change to the demo generator; a NOT NULL one does."""
    from analytics.demo.frames import conform

    data = {
        "contract_id": ["K1", "K2"],
        "opportunity_id": ["O1", None],
        "customer_id": ["C1", "C2"],
        "product": ["综合VPN", "IPTV"],
        "signed_date": [date(2026, 6, 1), date(2026, 6, 2)],
        "amount": [100.0, 200.0],
        "owner_id": ["A1", "A2"],
    }  # no term_months
    frame = conform("contracts", dict(data))
    assert frame["term_months"].isna().all() and frame["amount"].tolist() == [100.0, 200.0]
    del data["amount"]
    with pytest.raises(KeyError, match="amount"):
        conform("contracts", data)
