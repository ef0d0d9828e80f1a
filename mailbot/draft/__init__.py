"""Replies rendered from templates/mail/<lang>/ with Jinja2 (StrictUndefined)."""
