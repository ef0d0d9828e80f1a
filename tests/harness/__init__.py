"""Test harness: real servers (Dovecot, ...) as pytest fixtures, and small helpers."""
