"""Entry point of the installed bundle: `psea-desk` with no arguments opens the window."""

import os
import sys

if __name__ == "__main__":
    if os.environ.get("PSEA_DESK_HELPER") == "bundle-reader":
        # The merge's helper process (desktop/exchange/readahead.py): this executable, started again.
        from desktop.exchange.readahead import serve

        serve()
        sys.exit(0)
    from desktop.cli import main

    args = sys.argv[1:]
    sys.exit(main(args if args else ["gui"]))
