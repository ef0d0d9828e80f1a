"""The database: models, sealed (encrypted) columns, the unit of work, migrations."""
