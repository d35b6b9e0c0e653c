"""Search backends: PostgreSQL / SQLite (`database`) and Elasticsearch (`elastic`)."""
