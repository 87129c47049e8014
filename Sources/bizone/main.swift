import BizOneCLI
BizOneCommand.main()
