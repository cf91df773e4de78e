"""What drives the forecast: the deals contributing most, and losing the top key deals.

Both read the per-deal expected_revenue = p(o) x annual_value x m(o) / 12 of
forecast_pipeline_lines.sql, so the rows add up to pipeline_expected exactly.  Those
rows carry no names (at a million deals the names cost more than the numbers): the
rows shown get theirs afterwards (:func:`named`, from probabilities.deal_names).
"""

from __future__ import annotations

import pandas as pd

from analytics.forecast.components import ForecastModel

SHOWN = [
    "opportunity_id",
    "name",
    "customer_name",
    "owner_id",
    "owner_name",
    "branch",
    "product",
    "stage",
    "is_key",
    "annual_value",
    "expected_close_date",
    "months_this_year",
    "p_win",
    "expected_revenue",
]
NAMES = ["name", "customer_name", "owner_name"]
"""The columns of SHOWN the per-deal rows lack, filled in by :func:`named`."""


def top_contributors(model: ForecastModel, count: int) -> pd.DataFrame:
    """The open deals with the largest expected revenue this year, with their share of pipeline_expected."""
    deals = model.deals.sort_values(["expected_revenue", "opportunity_id"], ascending=[False, True])
    top = deals.loc[deals["expected_revenue"] > 0].reindex(columns=SHOWN).head(count)
    total = model.deals["expected_revenue"].sum()
    top["share_of_pipeline"] = top["expected_revenue"] / total if total else float("nan")
    return top.reset_index(drop=True)


def sensitivity(model: ForecastModel, overall: dict, count: int) -> pd.DataFrame:
    """Losing the top key deals one after another: forecast_expected and the budget gap after each loss."""
    key = model.deals[model.deals["is_key"].astype(bool) & (model.deals["expected_revenue"] > 0)]
    key = key.sort_values(["expected_revenue", "opportunity_id"], ascending=[False, True]).head(count)
    rows = key.reindex(columns=SHOWN).reset_index(drop=True)
    rows.insert(0, "deals_lost", range(1, len(rows) + 1))
    rows["forecast_if_lost"] = overall["forecast_expected"] - rows["expected_revenue"].cumsum()
    budget = overall["budget_annual"]
    rows["gap_if_lost"] = budget - rows["forecast_if_lost"] if budget > 0 else float("nan")
    return rows


def named(rows: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (top_contributors', sensitivity's) with each deal's name, customer and owner
    name from ``names`` (one row per opportunity_id)."""
    looked = names.drop_duplicates("opportunity_id").set_index("opportunity_id")
    out = rows.copy()
    for column in NAMES:
        out[column] = out["opportunity_id"].map(looked[column]).astype(object)
    return out
