"""`adopt`: turn an app's fixtures and Export Customizations files into blueprints (pure parts)."""
