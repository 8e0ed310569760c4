"""Lines of business (ramos): one Django app per line, each registering a LineSpec with
apps.insurance.lines. Settings discover every package here, so a new line is a new folder."""
