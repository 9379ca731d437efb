"""The app's screens, one module each (a stage of recall is a screen of its own).

Each screen reaches the layers below only through the app's ``Backend``, and only from worker
threads (see ``base``); the event loop only shows results.
"""
