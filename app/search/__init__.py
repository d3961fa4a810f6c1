"""Search within a space: the index (index.py, one per dialect), reading it (queries.py),
safe highlighting (highlight.py) and the results page (views.py)."""
