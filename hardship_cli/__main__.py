from hardship_cli.cli.main import run

run()
