from apps.regulatory.models.dec import DgsfpLineMapping
from apps.regulatory.models.evidence import DistributionEvidence

__all__ = ["DgsfpLineMapping", "DistributionEvidence"]
