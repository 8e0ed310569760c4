"""Empresas: multirriesgo for businesses (premises, capitals, RC de explotación, pérdida de beneficios)."""
