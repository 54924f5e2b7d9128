#!/usr/bin/env bash
# Capture a real explorer session in tmux and turn it into media/explorer.svg (and the waste explanation into
# media/explorer-waste.svg), then the README's media/explorer.png from the SVG. Needs tmux, a built CLI (npm run
# build), rsvg-convert (Debian: librsvg2-bin) and a monospace font with the box-drawing characters (fonts-dejavu-core).
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-../shared/corpus/dive/test-docker-image.tar}
sock=layerscope-shot-$$
trap 'tmux -L $sock kill-server 2>/dev/null || true' EXIT
tmux -L $sock new-session -d -s shot -x 132 -y 34 "env -u CI node dist/cli.js $image; sleep 60"
until tmux -L $sock capture-pane -p -t shot | grep -q 'Layers (1/'; do sleep 0.2; done
keys() { tmux -L $sock send-keys -t shot "$@"; sleep 0.4; }
keys j j j j j j j Tab C-u
tmux -L $sock capture-pane -p -e -t shot > /tmp/layerscope-shot.ansi
node media/ansi-to-svg.mjs /tmp/layerscope-shot.ansi > media/explorer.svg
keys / s a v e d Enter x
tmux -L $sock capture-pane -p -e -t shot > /tmp/layerscope-shot-waste.ansi
node media/ansi-to-svg.mjs /tmp/layerscope-shot-waste.ansi > media/explorer-waste.svg
keys Escape q
rsvg-convert --zoom 1.5 media/explorer.svg -o media/explorer.png
echo "media/explorer.svg media/explorer-waste.svg media/explorer.png"
