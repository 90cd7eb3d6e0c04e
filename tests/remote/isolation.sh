#!/bin/sh
# Prints what an action sees of the machine it runs on, one fact a line; tests/remote compares
# this with what a remote action must see on the worker (remote_test.sh).
gcc --version >/dev/null 2>&1
echo "gcc exit: $?"
if command -v go >/dev/null 2>&1 && go version >/dev/null 2>&1; then echo "go: runs"; else echo "go: absent"; fi
if [ -d /usr/include ] && [ -z "$(ls -A /usr/include)" ]; then echo "/usr/include: empty"; else echo "/usr/include: has headers"; fi
echo "/tmp entries: $(ls -A /tmp | wc -l)"
if (echo x >/tmp/rules_go_cross_probe) 2>/dev/null; then echo "/tmp: writable"; else echo "/tmp: read-only"; fi
if (: >/etc/rules_go_cross_probe) 2>/dev/null; then echo "/etc: writable"; else echo "/etc: read-only"; fi
echo "network interfaces: $(ls /sys/class/net | tr '\n' ' ' | sed 's/ $//')"
