"""Wiring: settings, database, the Starlette application, auth and the command line."""
