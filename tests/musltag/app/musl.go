//go:build musl

package main

const muslTag = true
