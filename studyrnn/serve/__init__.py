"""``studyrnn serve``: the app in a browser, through textual-serve's app service.

``access.py`` decides who may open the page (loopback, the token, the origin), ``session.py``
runs one app process per browser tab, and ``server.py`` is the web server that ties them
together. Nothing here imports textual, rich or torch: each tab's app is its own process.
"""
