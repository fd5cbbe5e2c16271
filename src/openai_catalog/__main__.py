from openai_catalog.cli.entry import main

main()
