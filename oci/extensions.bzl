"""Module extensions of //oci: `distroless` turns a Debian lock file into base images.

```starlark
distroless = use_extension("@rules_go_cross//oci:extensions.bzl", "distroless")
distroless.lock(name = "my_bases", lock = "//:debian.lock.json")
use_repo(distroless, "my_bases")
```
"""

load("//oci/private:extension.bzl", _distroless = "distroless")

distroless = _distroless
