"""API routes: catalog."""
ROUTES = []
