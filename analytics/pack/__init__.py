"""The meeting pack (会议材料, issue 18): content (``content``), Excel (``excel``), PDF
(``pdf``), alerts (``alerts``), building and auditing (``build``), subscriptions and
delivery (``subscriptions``, ``delivery``)."""
