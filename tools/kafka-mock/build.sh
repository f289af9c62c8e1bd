#!/usr/bin/env bash
# Builds the Kafka mock (librdkafka's mock cluster) if the binary is missing or older than
# its source. Needs gcc and librdkafka-dev (apt-get install -y librdkafka-dev).
set -euo pipefail
cd "$(dirname "$0")/../.."

source=tools/kafka-mock/kafka-mock.c
binary=tools/kafka-mock/kafka-mock

if [[ -x "$binary" && ! "$source" -nt "$binary" ]]; then
  exit 0
fi

# Compile to a temporary file and rename it: parallel test workers may build at once, and
# none of them must ever run a half-written binary.
tmp="$(mktemp "$binary.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
gcc -O2 -Wall -o "$tmp" "$source" -lrdkafka
chmod 755 "$tmp"
mv -f "$tmp" "$binary"
