import ArgumentParser
removeTemporaryFilesOnSignals()
BTFKitCommand.main()
