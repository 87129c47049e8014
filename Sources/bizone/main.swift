import BizOneCLI

await BizOneCommand.runMain()
