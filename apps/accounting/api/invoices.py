"""API routes of the accounting area «invoices»: (prefix, viewset, basename)."""
ROUTES = []
