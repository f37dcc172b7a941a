"""The `datakort` command line, on top of everything: detectors <- scanner <- reports <- datakort."""
from __future__ import annotations

import os
import signal
import sys


def _interrupted_while_loading(signum, frame) -> None:  # pragma: no cover - exercised by a signal
    """Ctrl-C while the command line is still importing its libraries: one line, no traceback."""
    sys.stderr.write("datakort: interrupted\n")
    os._exit(130)


# Only when this process is the `datakort` command (`datakort …` or `python -m datakort.main …`);
# datakort.main.main() hands Ctrl-C back to Python (KeyboardInterrupt) as soon as it starts.
if os.path.basename(sys.argv[0] if sys.argv else "") in ("datakort", "-m"):
    signal.signal(signal.SIGINT, _interrupted_while_loading)
