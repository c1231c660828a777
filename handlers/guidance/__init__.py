"""Guidance in chat: questions about certificates, catalogue adjustments, answers in words, renderers."""
