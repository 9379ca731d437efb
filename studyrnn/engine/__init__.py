"""The study engine: the facade the faces call (``study.Study``) and the modules that do its
work, one concept each (``context``, ``queue``, ``answers``, ``browse``, ``parameters``).

It combines the store with the scheduling layer; the layers below it (``store``, ``schedule``,
``decks``, ``runner``) never import it. Nothing is imported here, so that importing one of its
modules does not load the whole engine.
"""
