"""Registers the placedist Processing provider while the plugin is loaded."""
from qgis.core import QgsApplication

from .provider import PlacedistProvider


class PlacedistPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 (QGIS's name; qgis_process calls it)
        self.provider = PlacedistProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()

    def unload(self):
        if self.provider:
            QgsApplication.processingRegistry().removeProvider(self.provider)
