# Sourced by test and benchmark scripts (not run on its own).
#
# start_http_cache DIR: starts Debian's nginx (installed if missing) on a free port of 127.0.0.1
# as an empty Bazel HTTP remote cache (GET/PUT, WebDAV) storing under DIR/cache, in the
# background. Sets HTTP_CACHE_URL and HTTP_CACHE_PID; the caller kills HTTP_CACHE_PID.
# Returns non-zero, with the reason on stdout, if nginx cannot be installed or started.
start_http_cache() {
  local dir=$1 port
  if ! command -v nginx >/dev/null; then
    echo "installing nginx (Debian) for the remote cache"
    (apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx) >"$dir/apt.log" 2>&1 ||
      { echo "FAIL: could not install nginx; see the apt log:"; tail -5 "$dir/apt.log"; return 1; }
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$dir/cache" "$dir/nginx-tmp"
  cat >"$dir/nginx.conf" <<CONF
user root;
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log warn;
daemon off;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $dir/nginx-tmp;
  server {
    listen 127.0.0.1:$port;
    root $dir/cache;
    client_max_body_size 0;
    location / {
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
    }
  }
}
CONF
  nginx -c "$dir/nginx.conf" &
  HTTP_CACHE_PID=$!
  HTTP_CACHE_URL="http://127.0.0.1:$port"
  local _
  for _ in $(seq 50); do
    curl -s -o /dev/null "$HTTP_CACHE_URL/" && return 0
    sleep 0.1
  done
  echo "FAIL: nginx did not answer on $HTTP_CACHE_URL; see $dir/nginx-error.log"
  return 1
}
