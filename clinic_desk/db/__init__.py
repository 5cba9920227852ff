"""db layer of Clinic Desk (see DESIGN.md section 2)."""
