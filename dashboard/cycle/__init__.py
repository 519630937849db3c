"""The steering committee's monthly cycle: submit and approve reports, lock months, remind, direct."""
