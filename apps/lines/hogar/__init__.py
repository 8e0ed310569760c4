"""Hogar: home insurance for owners and tenants (building, contents and valuables)."""
