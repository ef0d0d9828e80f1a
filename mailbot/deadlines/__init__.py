"""Deadline jobs inside the daemon (APScheduler 3.x): reminders and escalation for staff, the
daily digest, verification expiry and the retention purge.

Every job keeps its state in the database, so it can run twice, after a crash or on two
daemons sharing one PostgreSQL database without doing anything twice: a mail is claimed by
inserting a row with a unique key (``Notice``, ``Digest``) in the same transaction as its
outbox message, and state changes are guarded by row locks or compare-and-set updates.
"""
