"""API routes of the accounting area «books»: (prefix, viewset, basename)."""
ROUTES = []
