"""The forecasting page's Streamlit glue."""
