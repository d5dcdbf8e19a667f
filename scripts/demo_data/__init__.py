"""The parts of the demo-data seeder, one concept per module; ``scripts.seed_demo`` runs them.

Kept apart from the entry point so each piece (what the data looks like, how rows are
generated, how they reach each database) can be read and tuned on its own.
"""
