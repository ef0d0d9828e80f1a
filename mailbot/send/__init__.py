"""Outgoing mail: compose replies (threading, loop headers) and hand them to SMTP."""
