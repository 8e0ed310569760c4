"""What this app registers at ready(): menus, API routes, panels, demo seeders (filled per area)."""
