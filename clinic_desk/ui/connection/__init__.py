"""The database connection: the connection dialog, the outage monitor and banner, the error banner."""
