"""Admin: policies."""
