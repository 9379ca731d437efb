"""One module per CLI command. Each is thin: options in, a call into the layers, text out."""
