"""Speed targets: `mosty bench [NAME]` runs the modules here and prints ratios."""
