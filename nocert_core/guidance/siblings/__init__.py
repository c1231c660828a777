"""What tells sibling services apart: what is done (first, renewal, replacement …), whom a service is for,
whom a household joins, the ages a service is for, and how often a benefit is paid."""
