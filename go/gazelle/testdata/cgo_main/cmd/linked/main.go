package main

import "example.com/cgo/internal/native"

func main() { native.Use() }
