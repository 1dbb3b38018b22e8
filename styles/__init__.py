"""Built-in themes, installed as the package `briefexport.styles`."""
