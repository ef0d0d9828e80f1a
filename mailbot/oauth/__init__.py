"""OAuth2 for the XOAUTH2 logins to IMAP and SMTP: providers (providers.py), tokens kept
fresh and shared (tokens.py), their sealed rows and the staff mail on a refused grant
(keeper.py), and the accounts' standing for health and check (status.py)."""
