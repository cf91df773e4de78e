"""Streamlit-side helpers: the only Streamlit code besides pages/."""
