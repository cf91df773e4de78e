"""Deterministic demo data: a Shanghai enterprise division's two years of opportunities.

``generate`` builds warehouse frames (one per table of analytics/schema.py) from a
seed and an as-of date; ``export`` writes the same data as the CRM/ODS/finance
files the loader accepts, so the demo exercises the whole path from upload to metric.

How outcomes are generated (issue 16).  This is the process the forecast has to
*learn* from the warehouse; analytics/forecast, analytics/blocks and
analytics/metrics never import this package (import-linter contract in
pyproject.toml, tests/test_forecast_growth.py), and the generator is not tuned to
the model: a backtest that passes only because the process below was changed to
suit the forecast is a defect.

* New deals (opportunities.py ``_created_days``): created over the 730 days up to
  as_of, on weekdays (a weekend day weighs 0.12 of a weekday), the daily rate
  rising linearly by 30 % over the two years.  No month-of-year pattern beyond
  the number of weekdays in a month.  Annual value log-normal by product and
  customer tier (vocab.PRODUCTS, TIER_VALUE_FACTOR).
* Win chance by class (process.py ``_outcomes``): fixed at creation,
  p_won = clip(0.44 + 0.07 x the owner's skill - 0.12 if a competitor is named
  + 0.10 for a key-flagged deal, 0.08, 0.85); else terminated with 0.11, else
  lost.  Losses happen at stage 1, 2 or 3 (0.25 / 0.30 / 0.45), terminations at
  0..3.  Some owners register deals late (at stage 3 just before winning).
* Stage and age: the deal starts at stage 0..3 (0.20 / 0.72 / 0.05 / 0.03), may
  skip stages 2-3 (simple products more often), and spends a log-normal stint
  in each stage around vocab.STAGE_MEDIAN_DAYS (12, 18, 21, 30, 10 days; sd 0.6);
  9 % stall in their last stage 4-8 times as long and 2 % never close (zombies).
  Its outcome comes at the end of its last planned stint, so a deal that has
  sat long in a stage is more often one heading for a loss: the chance of
  winning falls with time in stage, which the model has to see in the history.
* Slips (drift.py): the expected close date is created + the owner's guess of
  the cycle (0.6-1.5 x the stage medians); deals whose stints run long (over 90
  days, half of them; otherwise 22 %) push it 14-60 days later a few days before
  it comes up, 1-4 times; 5 % pull it in; 4 % are re-valued while open (value
  before = value / U(0.7, 1.4)).
* Revenue (finance.py): an installed base per branch x product (30 M x scale x
  branch and product weights x a log-normal level), growing by
  vocab.PRODUCT_GROWTH a year, with 1.5 % month-to-month noise; each won deal
  signs a contract on its closing day for 12, 24 or 36 months (0.5 / 0.3 / 0.2)
  billing value / 12 a month from the month after signing to the end of its term
  (usage-based products with 3 % noise), plus a one-off fee (installation or
  testing) in the month after signing for some products; a few negative
  adjustments (收入调整).  Revenue is loaded through the month before as_of.
* Seasonality: none by design in win chances; creation follows weekdays and
  the rising trend; the budget is phased 1.5 % more each month of the year.
"""
