"""Messages in and out: the inbox of fetched updates, the outbox, its leases and status."""
