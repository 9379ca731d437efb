"""Free recall: a learner writes what they remember of a chapter, then checks it card by card.

``marks`` and ``journal`` are the values (marks, sessions and their pure logic), ``suggest``
pre-suggests marks from the recall text, ``export`` renders a session as markdown,
``store_ops`` reads and writes the recall tables and ``service.RecallJournal`` wraps them in
short transactions. It may import ``decks``, ``store`` and ``studyrnn.values``; never the engine
facade (marks reach it through ``service.apply_marks``), textual or torch.
"""
