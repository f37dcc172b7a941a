"""Detection of personal data: a Presidio engine for Danish, its recognisers, and the
mapping from entity types to the register's data categories."""
