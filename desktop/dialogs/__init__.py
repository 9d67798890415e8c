"""Dialogs and wizards: one module per feature."""
