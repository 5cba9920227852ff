"""The open patient: search, the dash (photo block, secure-message icon, cards), its live session."""
