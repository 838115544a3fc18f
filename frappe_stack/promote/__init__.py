"""Moving a change to production: promote, deploy, rollback and ship, and the git, GitHub, reviewer and
changelog steps under them."""
