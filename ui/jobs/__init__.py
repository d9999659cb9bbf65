"""The job pool, its child processes and the registry of training jobs."""
