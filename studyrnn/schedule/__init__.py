"""Scheduling: the study day and its cutoff (``day``), one FSRS step as Anki takes it
(``fsrs_step``, with the learning ``steps`` and Anki's ``fuzz``), the ranges FSRS parameters
must lie in (``parameter_bounds``), the order of today's queue (``queue``) and fitting FSRS
parameters (``optimizer``). Pure logic over plain values: nothing here touches the database.
"""
