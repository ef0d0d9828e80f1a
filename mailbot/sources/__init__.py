"""Where personal data lives: SQL databases, CSV exports and mailbot's own records, each
tagged controller or processor (see ``mailbot.sources.base``)."""
