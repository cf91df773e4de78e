"""Words of the forecast pages: how the band was simulated, and the backtest's warnings.

Their tables are ``ui.tables.show_table`` (the attainment table coloured by
progress_gap, so a line behind time progress stands out).
"""

from __future__ import annotations

from ui.format import pct
from ui.i18n import t


def band_note(sim: dict, mean: str, share: str) -> str:
    """How the P10–P90 band was simulated, worded for the counts at hand.

    With no won deals or no open deals the single template read as a bug
    ('0 个赢单样本', '逐笔模拟的商机 0 个（占方差 100.0 %）'); each case says what it means.
    """
    exact, normal = sim["exact_deals"], sim["normal_deals"]
    slips = t("fc_band_slips").format(slips=sim["slip_deals"]) if sim["slip_deals"] else t("fc_band_no_slips")
    if exact and normal:
        deals = t("fc_band_mixed").format(exact=exact, share=share, normal=normal)
    elif exact:
        deals = t("fc_band_all_exact").format(exact=exact)
    elif normal:
        deals = t("fc_band_all_normal").format(normal=normal)
    else:
        deals = t("fc_band_no_deals")
    return t("fc_band_runs").format(runs=sim["runs"]) + slips + t("fc_band_mean").format(mean=mean) + deals


def backtest_warnings(health: dict) -> list[str]:
    """Plain-words warnings when the frozen forecasts scored so far say the band or the level is off.

    Coverage outside [forecast_coverage_min, forecast_coverage_max] or |bias| over
    forecast_bias_max (analytics.forecast.frozen.backtest_health); none while
    nothing has been scored.  Bias > 0 means the forecasts ran below the revenue.
    """
    low, high = health["coverage_range"]
    messages = []
    if health["coverage_ok"] is False:
        key = "fc_backtest_coverage_low" if health["coverage"] < low else "fc_backtest_coverage_high"
        messages.append(t(key).format(coverage=pct(health["coverage"]), low=pct(low, 0), high=pct(high, 0)))
    if health["bias_ok"] is False:
        key = "fc_backtest_bias_low" if health["bias"] > 0 else "fc_backtest_bias_high"
        messages.append(t(key).format(bias=pct(abs(health["bias"])), limit=pct(health["bias_max"], 0)))
    for name in health.get("naive_better", []):  # the P50 loses to a naive baseline (issue 16)
        messages.append(t("fc_backtest_naive_better").format(baseline=t(f"cal_{name}_name")))
    return messages
