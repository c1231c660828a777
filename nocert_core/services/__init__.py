"""Services: one function per use case. Each takes a unit of work and a clock."""
