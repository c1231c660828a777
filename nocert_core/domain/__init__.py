"""The domain model: pure Python, no I/O."""
