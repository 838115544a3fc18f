"""`review`: a rules engine over the change between a base ref and the working tree of the config
repo. Pure: the site facts some rules need come through a Context (context.py)."""
