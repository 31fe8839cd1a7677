"""Placeholder; filled by the mode-plugin issue."""
