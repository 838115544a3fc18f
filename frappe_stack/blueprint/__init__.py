"""The pure blueprint core: file model, canonical form, validation and ordering.

Nothing under this package imports frappe, so it runs and is tested anywhere.
"""
