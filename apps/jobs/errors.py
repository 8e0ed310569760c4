"""Exceptions of the job machinery (no model imports: importable before the apps are ready)."""


class JobCancelled(Exception):
    """Raised by a job's progress callback when the job was cancelled meanwhile: the task stops between chunks."""
