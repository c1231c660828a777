"""Background work of a running bot: the scheduler, the outbox worker, leadership, the event-loop watch."""
