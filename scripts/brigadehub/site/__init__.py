"""The site: page data, Jinja2 templates, open data and feeds, written into docs/ for MkDocs to build."""
