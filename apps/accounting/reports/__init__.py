"""Books and annual accounts: query forms and exports (CSV, XLSX, PDF) of the books pages."""
