"""Public API of //platforms: the table of target platforms and their constraints."""

load("//platforms/private:platforms.bzl", _LIBCS = "LIBCS", _PLATFORMS = "PLATFORMS", _platform_constraints = "platform_constraints")

PLATFORMS = _PLATFORMS
LIBCS = _LIBCS
platform_constraints = _platform_constraints
