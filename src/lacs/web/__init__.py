"""The dashboard and the HTTP API (FastAPI, Jinja2 templates, SVG charts drawn here), a thin layer
over the questions.
"""
