"""The pure core: mails, kinds, states, deadlines. Imports nothing from the adapters."""
