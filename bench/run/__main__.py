"""`python -m bench.run`: see bench/run/main.py."""

from bench.run.main import main

raise SystemExit(main())
