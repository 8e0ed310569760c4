"""DomainError codes of the engine framework."""
from apps.core.errors import DomainError
from apps.jobs.errors import JobCancelled


class EngineError(DomainError):
    code = "engine_error"


class EngineInputError(EngineError):
    """Bad input (empty data, missing cells, too little data...): the run ends FAILED with this message."""
    code = "engine_input"


class EngineNotFound(EngineError):
    status = 404
    code = "engine_not_found"


class EngineCancelled(JobCancelled):
    """Raised by progress() when the run was cancelled meanwhile (cooperative cancellation)."""
