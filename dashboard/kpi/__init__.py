"""The rules of the plan: deadlines, task status, targets, KPI values and aggregation, reporting, red flags."""
