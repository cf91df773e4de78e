"""Deterministic demo data: a Shanghai enterprise division's two years of opportunities.

``generate`` builds warehouse frames (one per table of analytics/schema.py) from a
seed and an as-of date; ``export`` writes the same data as the CRM/ODS/finance
files the loader accepts, so the demo exercises the whole path from upload to metric.
"""
