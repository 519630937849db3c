"""What the pages read: filters, rows, page data, the plan and page caches, national summaries."""
