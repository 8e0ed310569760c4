"""API routes: policies."""
ROUTES = []
