"""API routes of the accounting area «taxes»: (prefix, viewset, basename)."""
ROUTES = []
