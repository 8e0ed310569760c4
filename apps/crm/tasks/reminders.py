"""Activity reminder tasks."""
