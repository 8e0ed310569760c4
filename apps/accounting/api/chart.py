"""API routes of the accounting area «chart»: (prefix, viewset, basename)."""
ROUTES = []
