#!/usr/bin/env bash
# Creates benches/.venv with presidio-analyzer, for the Presidio comparison in dlp-bench.
# Only the regex recognizers are used (no spaCy model is downloaded).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/../.venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet "presidio-analyzer==2.2.366"
"$venv/bin/python" -c "import presidio_analyzer; print('presidio-analyzer', presidio_analyzer.__version__ if hasattr(presidio_analyzer, '__version__') else 'installed')"
