"""The subcommands of `datakort` besides `scan` and `demo` (which live in scanner/cli.py)."""
