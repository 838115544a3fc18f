"""The workflows: check, promote, deploy, rollback and ship. Each takes sites that are already open
(the `run_*` functions open them, once each, for the commands) and reaches Frappe only through the
adapter in frappe_stack.site, so no module here imports frappe."""
