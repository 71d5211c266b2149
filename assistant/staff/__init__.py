"""The staff console's domain: accounts and roles, guide versions and publishing, unanswered questions,
the audit log and analytics. The web routes live in `assistant/web/routes/staff_*.py`."""
