"""Brigade Hub: brigade files in, a directory, event listings, calendar feeds and open data out."""
