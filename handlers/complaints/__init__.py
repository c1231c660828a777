"""Complaints in chat: intake, a citizen's own complaints, the case card, staff and task-force actions."""
