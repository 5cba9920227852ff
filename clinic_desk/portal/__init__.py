"""The patient portal's web pages (DESIGN.md section 7): Starlette + Jinja2, no Qt, only the facade."""
