"""Prefect orchestration of the docpipe stages. The only package that imports Prefect.

Prefect reads its settings when it is first imported, so the quiet, reliable defaults
measured on these machines are set here, before any submodule imports it. A value the
user has set in the environment always wins.
"""

from __future__ import annotations

import os
from pathlib import Path

_PROJECT_ROOT = Path(__file__).resolve().parent.parent
PREFECT_HOME = Path(os.environ.get("PREFECT_HOME", _PROJECT_ROOT / ".prefect"))

PREFECT_DEFAULTS = {
    "PREFECT_HOME": str(PREFECT_HOME),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    # The embedded server's first migration can outlast the 20 s default.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "PREFECT_RESULTS_LOCAL_STORAGE_PATH": str(PREFECT_HOME / "storage"),
    "PREFECT_UI_ENABLED": "false",
}

for _name, _value in PREFECT_DEFAULTS.items():
    os.environ.setdefault(_name, _value)
