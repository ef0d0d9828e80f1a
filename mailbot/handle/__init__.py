"""What mailbot does with each recorded request, one module per concern."""
