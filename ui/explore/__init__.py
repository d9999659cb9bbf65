"""The RNN explorer page's sections, charts, export and training jobs."""
