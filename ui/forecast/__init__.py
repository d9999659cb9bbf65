"""The forecasting page's data source, results, charts, export and job."""
