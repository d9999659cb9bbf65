"""Streamlit + plotly glue shared by the pages (no model maths here)."""
