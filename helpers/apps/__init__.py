"""Apps layer: the command line and the Voila server."""
