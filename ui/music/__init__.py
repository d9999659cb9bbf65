"""The music continuation page's primers, results, charts, export and training job."""
