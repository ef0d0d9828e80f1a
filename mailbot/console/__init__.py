"""mailbot's web side: for now the one-time verification link (``verify_link``); the staff
console extends the same Starlette app."""
