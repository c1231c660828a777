"""Department verification requests (R2 部门核验) and their notifications."""
