"""Widgets the screens compose: display and key handling only, no engine or checker calls."""
