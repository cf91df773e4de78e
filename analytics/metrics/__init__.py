"""Metric functions: one per section of metrics.md, each running named SQL.

Each function takes a :class:`analytics.context.Context` and returns a small
DataFrame or dict; pages, the command line and exports all call these.
"""
