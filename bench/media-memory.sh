#!/usr/bin/env bash
# Media memory check: the gateway, started with -Xmx128m, downloads and stores a 200 MiB attachment.
# Everything runs on loopback: a media server (python3) generates the file on the fly, the gateway runs on
# free ports with a temporary data folder. Prints the stored size, the time and the gateway's peak RSS.
#   bash bench/media-memory.sh            (SIZE_MIB=200 HEAP=128m by default)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB=${SIZE_MIB:-200}
HEAP=${HEAP:-128m}
[ -f target/whatsapp-gateway.jar ] || mvn -q -B package -DskipTests

work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
HTTP_PORT=$(free_port); MEDIA_PORT=$(free_port)
cleanup() { kill "${gw:-}" "${media:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# A JPEG header, then zeros, streamed in 1 MiB chunks: nothing of that size is ever held in memory here either.
python3 - "$MEDIA_PORT" "$SIZE_MIB" > "$work/media.log" 2>&1 <<'PY' &
import http.server, sys
port, mib = int(sys.argv[1]), int(sys.argv[2])
class Big(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(mib * 1024 * 1024))
        self.end_headers()
        chunk = b"\xff\xd8\xff\xe0" + bytes(1024 * 1024 - 4)
        for i in range(mib):
            self.wfile.write(chunk if i == 0 else bytes(1024 * 1024))
http.server.ThreadingHTTPServer(("127.0.0.1", port), Big).serve_forever()
PY
media=$!

GATEWAY_KAZINFOTEH_API_KEY=bench-key GATEWAY_ADMIN_PASSWORD=bench-admin java -Xmx"$HEAP" -jar target/whatsapp-gateway.jar \
  --server.port="$HTTP_PORT" --gateway.broker.tcp-port=0 --gateway.broker.name=media-bench \
  --gateway.data-dir="$work/data" --gateway.routes-dir="$PWD/routes" \
  --gateway.media.max-bytes=$(( (SIZE_MIB + 10) * 1024 * 1024 )) \
  --gateway.media.allowed-hosts="127.0.0.1:$MEDIA_PORT" --gateway.media.allow-private-addresses=true \
  > "$work/gateway.log" 2>&1 &
gw=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/actuator/health" >/dev/null 2>&1 && break
  sleep 1
done

start=$(date +%s)
curl -sf -X POST "http://127.0.0.1:$HTTP_PORT/webhooks/kazinfoteh" -H 'Content-Type: application/json' \
  -H 'X-API-KEY: bench-key' -d "{\"typeRequest\":\"inboxmsg\",\"id\":\"media-bench-1\",\"receivedAt\":\"2024-08-06 15:13:10\",
  \"channel\":\"77770229831\",\"receiver\":\"77776662222\",\"msgType\":\"document\",
  \"msgAttachmentUrl\":\"http://127.0.0.1:$MEDIA_PORT/upl/big.jpeg\",\"msgAttachmentName\":\"big.jpeg\"}"
echo
want=$(( SIZE_MIB * 1024 * 1024 ))
stored=""
for _ in $(seq 1 600); do
  stored=$(find "$work/data/media" -type f ! -name '*.json' ! -path '*/.tmp/*' -size "${want}c" 2>/dev/null | head -1 || true)
  [ -n "$stored" ] && break
  kill -0 "$gw" 2>/dev/null || { echo "gateway died"; tail -50 "$work/gateway.log"; exit 1; }
  sleep 1
done
peak=$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$gw/status")
if [ -z "$stored" ]; then
  echo "FAILED: no stored copy of ${SIZE_MIB} MiB"; grep -iE "media|error" "$work/gateway.log" | tail -20; exit 1
fi
echo "stored ${SIZE_MIB} MiB with -Xmx$HEAP in $(( $(date +%s) - start )) s; gateway peak RSS $peak"
if grep -q OutOfMemoryError "$work/gateway.log"; then echo "FAILED: OutOfMemoryError"; exit 1; fi
