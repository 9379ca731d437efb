"""Scheduling: the study day and its cutoff (``day``), one FSRS step with deterministic fuzz
(``fsrs_step``), the order of today's queue (``queue``) and fitting FSRS parameters
(``optimizer``). Pure logic over plain values: nothing here touches the database.
"""
