"""Autos: private cars and vans, from third-party liability to comprehensive cover."""
