"""Tools beside the flow, for contributors and maintainers: fmt, CODEOWNERS, the issue form, link health."""
