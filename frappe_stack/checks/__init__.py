"""The pre-promote checks: each one looks at the change, staging or the target and answers
pass, warn or fail with a one-line detail. Pure, except where a module says it talks to a site."""
