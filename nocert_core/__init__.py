"""nocert core: everything that is true without a chat (domain, services, adapters)."""
