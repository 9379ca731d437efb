"""The store: SQLAlchemy models and sessions (``models``, ``engine``), opening and migrating a
database (``migrate``), and the queries behind sync, statistics, settings and history import.

It may import ``decks`` (the parsed card model) and the plain values of ``studyrnn.values``,
never the layers above it: what it needs of scheduling (the study day, replaying a history) is
passed in by the engine facade (``studyrnn.engine``), which combines the store with
``studyrnn.schedule``.
"""
