module github.com/rules-go-cross/rules_go_cross

go 1.26
