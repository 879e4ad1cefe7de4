"""The interactive diagnosis: a Textual app over one Diagnosis."""
