@_exported import BinaryReader
