"""Export bundles and regional merge.

An office exports its records into one encrypted, signed file (`bundle`); a regional coordinator
merges many of them into one workspace (`merge`) following design.md: fast-forward, no-op, or a
conflict that the later revision wins everywhere, the losing version kept in history for review.
Known senders are trusted on first use (`senders`); every import is recorded (`history`).
"""
