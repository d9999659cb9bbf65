"""Looking inside recurrent networks: traces, unit search, gradient flow and long-range tasks."""
