"""What every use case stands on: unit of work, events, leases, calendar, start-up, housekeeping."""
