"""How every command runs over files: discover, settings, read, check, outcome."""
