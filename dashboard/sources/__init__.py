"""SQL sources: their definitions, pulling them (refresh), the scheduler, the demo's raw records."""
