"""``python -m analytics``: the command line."""

from analytics.cli import main

raise SystemExit(main())
