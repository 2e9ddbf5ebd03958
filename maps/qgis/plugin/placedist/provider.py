"""The placedist Processing provider and its setting: the placedist binary."""
from processing.core.ProcessingConfig import ProcessingConfig, Setting
from qgis.core import QgsProcessingProvider

from .algorithms import AnalysePlacements, Coverage, DistanceMatrix, GeocodePostcodes
from .binary import BINARY_SETTING


class PlacedistProvider(QgsProcessingProvider):
    def load(self):
        ProcessingConfig.settingIcons[self.name()] = self.icon()
        ProcessingConfig.addSetting(Setting(self.name(), BINARY_SETTING, "placedist binary (empty: found on PATH)",
                                            "", valuetype=Setting.FILE))
        ProcessingConfig.readSettings()
        self.refreshAlgorithms()
        return True

    def unload(self):
        ProcessingConfig.removeSetting(BINARY_SETTING)

    def loadAlgorithms(self):  # noqa: N802
        for algorithm in (GeocodePostcodes(), AnalysePlacements(), DistanceMatrix(), Coverage()):
            self.addAlgorithm(algorithm)

    def id(self):
        return "placedist"

    def name(self):
        return "placedist"

    def longName(self):
        return "placedist: placements of looked-after children"
