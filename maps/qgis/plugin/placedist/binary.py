"""Where the placedist binary is, and running it."""
import os
import shutil
import subprocess

from processing.core.ProcessingConfig import ProcessingConfig
from qgis.core import QgsProcessingException

BINARY_SETTING = "PLACEDIST_BINARY"


def placedist_binary():
    """The provider's setting, else $PLACEDIST_BINARY, else placedist on PATH."""
    configured = ProcessingConfig.getSetting(BINARY_SETTING)
    for candidate in (configured, os.environ.get("PLACEDIST_BINARY")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("placedist")
    if not found:
        raise QgsProcessingException("placedist not found: set it in Processing > Options > Providers > placedist, "
                                     "or put it on PATH")
    return found


def run_placedist(arguments, feedback, ok_codes=(0,)):
    """Runs placedist with `arguments`, its messages to the feedback; exit code 1 (some rows
    failed, each with its status) is accepted where `ok_codes` says so."""
    command = [placedist_binary()] + [str(a) for a in arguments]
    feedback.pushCommandInfo(" ".join(command))
    process = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in (process.stderr or "").splitlines():
        feedback.pushInfo(line)
    if process.returncode not in ok_codes:
        raise QgsProcessingException(f"placedist exited with code {process.returncode}: "
                                     + (process.stderr.strip().splitlines() or [""])[-1])
    return process
