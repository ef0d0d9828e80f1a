"""mailbot's web side: the staff console and the one-time verification link
(``verify_link``), one Starlette app served inside ``mailbot run``."""
