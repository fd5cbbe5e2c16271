from openai_catalog.cli.app import main

main()
