"""Shared fixtures. Each real server lives in its own module under tests/harness."""

pytest_plugins = [
    "tests.harness.dovecot",
    "tests.harness.smtp",
    "tests.harness.database",
    "tests.harness.app",
    "tests.harness.oauth",
]
