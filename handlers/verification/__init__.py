"""Department verification in chat (R2 部门核验) and its renderers."""
