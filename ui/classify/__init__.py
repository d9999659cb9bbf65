"""The sequence classification page: controls, charts, results and its training jobs."""
