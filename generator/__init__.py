"""Turns code records into a static reference site: sources → model → validation → relations → pages → MkDocs."""
