"""The text generation page's controls, results, charts, export and training jobs."""
