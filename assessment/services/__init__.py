"""Service layer: plain functions taking typed parameters, returning models, raising domain
errors. They only flush; the request (or CLI command) boundary commits once."""
