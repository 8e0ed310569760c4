"""Salud: private health insurance (medical network or reimbursement) for a family."""
