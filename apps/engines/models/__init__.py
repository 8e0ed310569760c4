from apps.engines.models.runs import EngineRun
from apps.engines.models.schedules import EngineSchedule

__all__ = ["EngineRun", "EngineSchedule"]
