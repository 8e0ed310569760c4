"""Campaign delivery tasks."""
