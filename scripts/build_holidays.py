"""Build ``mailbot/domain/data/holidays-nl.json``: the Dutch public holidays of each year
from 1990 to 2100, with their Dutch names, from the ``holidays`` package.

    .venv/bin/python scripts/build_holidays.py

A worker reads the small table: importing ``holidays`` loads its 300 modules (about 11 MiB in
every worker) for the 11 days a year it needs. A year outside the table is still asked of
the package. ``tests/unit/test_calendar.py`` compares the table with the installed package.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailbot.domain.calendar import (  # noqa: E402
    HOLIDAY_TABLE,
    TABLE_YEARS,
    package_holidays,
)


def table() -> str:
    import holidays

    years = {str(year): {day.isoformat(): name
                         for day, name in sorted(package_holidays(year).items())}
             for year in TABLE_YEARS}
    data = {"source": f"holidays {holidays.__version__}, country NL, categories public "
                      "and optional, language nl", "years": years}
    return json.dumps(data, ensure_ascii=False, indent=0) + "\n"


def main() -> None:
    HOLIDAY_TABLE.parent.mkdir(exist_ok=True)
    HOLIDAY_TABLE.write_text(table(), encoding="utf-8")
    print(f"wrote {HOLIDAY_TABLE.relative_to(ROOT)} ({HOLIDAY_TABLE.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
