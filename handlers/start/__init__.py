"""/start, /help, /menu, the command lists and staff invites."""
