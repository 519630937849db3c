"""Pure functions from data (plain rows) to Dash components."""
