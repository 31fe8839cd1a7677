from .cli.entry import root_main

root_main()
