"""Decesos: funeral expenses insurance for a family (members, service level, premium type)."""
