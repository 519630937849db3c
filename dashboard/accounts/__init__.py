"""People and what they may do: accounts and sessions, sign-in, permissions, the audit trail."""
