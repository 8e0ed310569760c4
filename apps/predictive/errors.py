"""EngineInputError: the engine framework's (apps.engines.errors) when it is installed, else an equivalent
DomainError so the compute functions work and are tested on their own."""
from apps.core.errors import DomainError

try:  # pragma: no cover - depends on the engine framework being present
    from apps.engines.errors import EngineInputError
except ImportError:  # pragma: no cover
    class EngineInputError(DomainError):
        code = "engine_input"


class PredictiveError(DomainError):
    code = "predictive"


def no_progress(pct: int, message: str = "") -> None:
    """The progress callback when a compute function runs outside an engine run (tests, seeders)."""
