"""The face, the top layer: typer commands, one module per command or group, each attaching
its commands in `register(app)`. `common` holds one run's state and the shared options,
`main` the app, the list of command modules and `run()` (the one error handler)."""
