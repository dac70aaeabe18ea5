"""Run the command-line tool as `python -m credit_rules`."""

import sys

from credit_rules.cli import main

if __name__ == "__main__":
    sys.exit(main())
