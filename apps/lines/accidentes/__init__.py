"""Accidentes: personal accident insurance (death, permanent disability, hospital allowance)."""
