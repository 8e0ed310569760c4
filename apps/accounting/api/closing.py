"""API routes of the accounting area «closing»: (prefix, viewset, basename)."""
ROUTES = []
