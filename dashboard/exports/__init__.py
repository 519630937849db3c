"""What leaves the site: Excel/CSV/JSON tables, the figures template, the PDF briefing job."""
