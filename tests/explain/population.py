"""Where the explanation tests find the policies and which date they assess."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 6, 30)
SUBJECTS = 80
SEED = 11
