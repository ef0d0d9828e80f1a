"""`mailbot check`: every part of a setup tried without side effects, one item a line, each
passed or failed with what to do about it. The daemon runs the same items at start-up."""

from mailbot.check.item import Item
from mailbot.check.run import run_checks

__all__ = ["Item", "run_checks"]
