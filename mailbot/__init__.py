"""mailbot: the GDPR privacy mailbox daemon."""

__version__ = "0.1.0"
