"""Vida riesgo: term life cover for death, optionally permanent total disability (IPA)."""
