"""Readers for the official code files published by CMS and others; each returns frozen dataclasses."""
