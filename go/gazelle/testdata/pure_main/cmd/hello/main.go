package main

import (
	"net/http"

	"example.com/pure/internal/greet"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { greet.Write(w) })
	_ = http.ListenAndServe(":8080", nil)
}
