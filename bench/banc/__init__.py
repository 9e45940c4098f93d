"""The national benchmark (`make bench`): servers, measures, load phase and report."""
