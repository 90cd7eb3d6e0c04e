package main

import "example.org/router"

func main() { router.Serve() }
