package main

import _ "example.org/sqlite/driver"

func main() {}
