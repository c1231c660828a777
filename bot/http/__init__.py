"""The bot's own HTTP routes (webhook, health, readiness) and its Prometheus metrics."""
