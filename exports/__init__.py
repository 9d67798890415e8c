"""Exchange workbooks (.xlsx in and out) and PDF summaries. Imports no Qt."""
