module github.com/rules-go-cross/rules_go_cross

go 1.26

require (
	github.com/DataDog/zstd v1.5.7
	github.com/asg017/sqlite-vec-go-bindings v0.1.6
	github.com/bazelbuild/bazel-gazelle v0.42.0
	github.com/bazelbuild/buildtools v0.0.0-20240918101019-be1c24cc9a44
	github.com/google/go-containerregistry v0.22.1
	github.com/klauspost/compress v1.19.2
	github.com/mattn/go-sqlite3 v1.14.53
	github.com/ulikunitz/xz v0.5.17
	github.com/valyala/gozstd v1.27.0
	github.com/yanyiwu/gojieba v1.4.6
	golang.org/x/mod v0.39.0
	google.golang.org/protobuf v1.36.3
)

require (
	github.com/docker/cli v29.7.2+incompatible // indirect
	github.com/docker/docker-credential-helpers v0.9.3 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
	github.com/opencontainers/go-digest v1.0.0 // indirect
	github.com/opencontainers/image-spec v1.1.1 // indirect
	github.com/sirupsen/logrus v1.9.4 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/sys v0.47.0 // indirect
	golang.org/x/tools/go/vcs v0.1.0-deprecated // indirect
	gotest.tools/v3 v3.5.2 // indirect
)
