"""ma cantine's national data standards: Table Schemas, their reader and the import pipeline."""
