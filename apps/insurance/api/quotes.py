"""API routes: quotes."""
ROUTES = []
