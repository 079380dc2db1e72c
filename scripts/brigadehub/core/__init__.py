"""The core data: a brigade file is loaded, checked against the model, and becomes a Brigade or Problems."""
