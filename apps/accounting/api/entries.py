"""API routes of the accounting area «entries»: (prefix, viewset, basename)."""
ROUTES = []
