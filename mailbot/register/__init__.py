"""The processor register (GDPR art. 30(2)): the processing orders clients send, read from
their mails (``parse_order``), kept with every version (``history``) and exported for the
supervisor (``export``)."""
