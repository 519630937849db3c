"""Agencies: name rules and collective groups, the stored directory, merging duplicates."""
