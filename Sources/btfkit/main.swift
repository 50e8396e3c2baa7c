import ArgumentParser
BTFKitCommand.main()
