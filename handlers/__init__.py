"""Conversations, written once and transport-neutral: an Incoming event in, Replies out."""
