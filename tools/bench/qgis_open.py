#!/usr/bin/python3
"""One timing of real QGIS (PyQGIS offscreen) opening a placedist project and rendering its
saved view (the council and its 20-mile zone), 1000 x 800 pixels: JSON on stdout.
Usage: qgis_open.py PROJECT.qgs PNG   (tools/bench/qgis-open runs it per format, side by side)."""
import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
started = time.monotonic()
from qgis.core import QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings, QgsProject  # noqa: E402
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

app = QgsApplication([], False)
app.initQgis()
ready = time.monotonic()
project = QgsProject.instance()
ok = project.read(sys.argv[1])
opened = time.monotonic()
root = project.layerTreeRoot()
settings = QgsMapSettings()
settings.setLayers([node.layer() for node in root.findLayers() if node.isVisible()])
settings.setDestinationCrs(project.crs())
settings.setExtent(project.viewSettings().defaultViewExtent())
settings.setOutputSize(QSize(1000, 800))
settings.setBackgroundColor(QColor(255, 255, 255))
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
rendered = time.monotonic()
job.renderedImage().save(sys.argv[2])
print(json.dumps({"read": ok, "valid": all(l.isValid() for l in project.mapLayers().values()),
                  "start_s": ready - started, "open_s": opened - ready, "render_s": rendered - opened}))
project.clear()
app.exitQgis()
