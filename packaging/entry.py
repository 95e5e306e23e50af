"""Entry point of the installed bundle: `psea-desk` with no arguments opens the window."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(args if args else ["gui"]))
