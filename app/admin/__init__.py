"""Platform operator pages: renting out spaces. Shows seats and dates, never group content."""
