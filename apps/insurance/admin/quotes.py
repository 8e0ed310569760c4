"""Admin: quotes."""
