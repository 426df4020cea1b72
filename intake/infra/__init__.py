"""What every part of the app stands on: the database, sealing of free text, what is kept per
worker, languages, security headers and backups. Nothing here knows about questionnaires."""
