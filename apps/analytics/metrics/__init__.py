"""Every metric module registers its metrics on import (see apps.analytics.metrics.base)."""
from apps.analytics.metrics import claims, collections, insurance, people  # noqa: F401
from apps.analytics.metrics.base import METRICS, ChartData, KpiValue, Metric  # noqa: F401
