"""Configuration transitions of the image rules."""

def _platform_transition_impl(settings, attr):
    if not attr.platform:
        return {"//command_line_option:platforms": settings["//command_line_option:platforms"]}
    return {"//command_line_option:platforms": [str(attr.platform)]}

platform_transition = transition(
    implementation = _platform_transition_impl,
    inputs = ["//command_line_option:platforms"],
    outputs = ["//command_line_option:platforms"],
)

def _platforms_split_impl(_settings, attr):
    return {str(p): {"//command_line_option:platforms": [str(p)]} for p in attr.platforms}

platforms_split = transition(
    implementation = _platforms_split_impl,
    inputs = [],
    outputs = ["//command_line_option:platforms"],
)
