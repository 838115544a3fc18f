"""The exit codes of every command, as `terraform plan -detailed-exitcode` has them: 0 clean, 2
changes pending (or blocked, or a check failed), 1 error."""

EXIT_OK, EXIT_ERROR, EXIT_CHANGES = 0, 1, 2
