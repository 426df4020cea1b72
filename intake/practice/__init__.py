"""The practice's own data and what staff do with it: accounts, clients, check-ins, surveys,
settings, the audit log, erasure and the demo practice."""
