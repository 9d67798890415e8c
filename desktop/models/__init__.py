"""Qt item models over db.queries: one module per feature."""
