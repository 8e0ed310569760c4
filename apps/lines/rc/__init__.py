"""Responsabilidad civil general y profesional: activity, limits, deductible and extensions."""
