"""The placedist algorithms: each runs the placedist binary and loads its results, styled."""
import os

from qgis.core import (QgsProcessingAlgorithm, QgsProcessingContext,
                       QgsProcessingParameterEnum, QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterFolderDestination, QgsProcessingParameterNumber,
                       QgsProcessingParameterString, QgsVectorLayer)

from .binary import run_placedist

FORMATS = ["GeoJSON", "GPKG", "FlatGeobuf"]


def load_table(context, path, name):
    """A CSV result, loaded as a table when the algorithm finishes."""
    context.addLayerToLoadOnCompletion(path, QgsProcessingContext.LayerDetails(name, context.project(), name))


class PlacedistAlgorithm(QgsProcessingAlgorithm):
    def createInstance(self):  # noqa: N802
        return type(self)()

    def group(self):
        return "placedist"

    def groupId(self):  # noqa: N802
        return "placedist"

    def add_gazetteer(self):
        self.addParameter(QgsProcessingParameterFile("GAZETTEER", "Gazetteer (empty: placedist's default)",
                                                     optional=True))

    def gazetteer(self, parameters, context):
        path = self.parameterAsFile(parameters, "GAZETTEER", context)
        return ["--gazetteer", path] if path else []


class GeocodePostcodes(PlacedistAlgorithm):
    def name(self):
        return "geocode"

    def displayName(self):  # noqa: N802
        return "Geocode postcodes"

    def shortHelpString(self):  # noqa: N802
        return ("Every row of a CSV with its postcode's location, councils and a status (placedist geocode); "
                "bad or unknown postcodes keep their row, with a status and message.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile("INPUT", "CSV of postcodes", extension="csv"))
        self.addParameter(QgsProcessingParameterString("COLUMN", "Postcode column (empty: found by name)",
                                                       optional=True))
        self.add_gazetteer()
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT", "Geocoded CSV", "CSV files (*.csv)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        output = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        column = self.parameterAsString(parameters, "COLUMN", context)
        arguments = ["geocode", self.parameterAsFile(parameters, "INPUT", context), "-o", output]
        arguments += (["--column", column] if column else []) + self.gazetteer(parameters, context)
        run_placedist(arguments, feedback, ok_codes=(0, 1))
        load_table(context, output, "geocoded")
        return {"OUTPUT": output}


class AnalysePlacements(PlacedistAlgorithm):
    def name(self):
        return "analyse"

    def displayName(self):  # noqa: N802
        return "Analyse placements"

    def shortHelpString(self):  # noqa: N802
        return ("A council's placements (SSDA903-like CSV): placements.csv, the styled GIS layers (placements, "
                "homes, journeys, flows, boundary, councils, 20-mile zone), placements.qgs and the DfE report "
                "(placedist analyse). The layers are loaded styled; the folder also holds the project.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile("INPUT", "Placements CSV", extension="csv"))
        self.addParameter(QgsProcessingParameterString("LA", "Responsible council (name or code)"))
        self.addParameter(QgsProcessingParameterEnum("FORMAT", "Layer format", FORMATS, defaultValue=0))
        self.addParameter(QgsProcessingParameterFile("ROADS", "Road network (optional: road miles)", optional=True))
        self.add_gazetteer()
        self.addParameter(QgsProcessingParameterFolderDestination("OUTPUT", "Output folder"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        folder = self.parameterAsString(parameters, "OUTPUT", context)
        layer_format = FORMATS[self.parameterAsEnum(parameters, "FORMAT", context)]
        arguments = ["analyse", self.parameterAsFile(parameters, "INPUT", context), "--la",
                     self.parameterAsString(parameters, "LA", context), "--out", folder, "--format", layer_format]
        roads = self.parameterAsFile(parameters, "ROADS", context)
        arguments += (["--roads", roads] if roads else []) + self.gazetteer(parameters, context)
        run_placedist(arguments, feedback, ok_codes=(0, 1))
        # Each layer with its default style: the .qml beside a GeoJSON or FlatGeobuf file, the
        # GeoPackage's layer_styles table.
        loaded = []
        for name in ("councils", "zone_20_miles", "zone_20_road_miles", "boundary", "flows", "journeys",
                     "journeys_road", "homes", "placements"):
            if layer_format == "GPKG":
                source = os.path.join(folder, "layers.gpkg") + "|layername=" + name
                if not os.path.exists(os.path.join(folder, "layers.gpkg")):
                    continue
            else:
                source = os.path.join(folder, name + (".fgb" if layer_format == "FlatGeobuf" else ".geojson"))
                if not os.path.exists(source):
                    continue
            layer = QgsVectorLayer(source, name, "ogr")
            if not layer.isValid():
                continue
            context.temporaryLayerStore().addMapLayer(layer)
            context.addLayerToLoadOnCompletion(layer.id(),
                                               QgsProcessingContext.LayerDetails(name, context.project(), name))
            loaded.append(name)
        feedback.pushInfo("layers: " + ", ".join(loaded))
        return {"OUTPUT": folder, "PROJECT": os.path.join(folder, "placements.qgs"), "LAYERS": loaded}


class DistanceMatrix(PlacedistAlgorithm):
    def name(self):
        return "matrix"

    def displayName(self):  # noqa: N802
        return "Road/straight distance matrix"

    def shortHelpString(self):  # noqa: N802
        return ("Road miles and minutes from every origin to every destination (placedist matrix), from two CSVs "
                "of postcodes (or lon/lat), on a road network built by placedist roads build.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile("ORIGINS", "Origins CSV", extension="csv"))
        self.addParameter(QgsProcessingParameterFile("DESTINATIONS", "Destinations CSV", extension="csv"))
        self.addParameter(QgsProcessingParameterFile("ROADS", "Road network (placedist roads build)"))
        self.addParameter(QgsProcessingParameterString("POSTCODE", "Postcode column (empty: lon, lat columns)",
                                                       optional=True))
        self.add_gazetteer()
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT", "Matrix CSV", "CSV files (*.csv)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        output = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        postcode = self.parameterAsString(parameters, "POSTCODE", context)
        arguments = ["matrix", self.parameterAsFile(parameters, "ORIGINS", context),
                     self.parameterAsFile(parameters, "DESTINATIONS", context), "--roads",
                     self.parameterAsFile(parameters, "ROADS", context), "-o", output]
        arguments += (["--postcode", postcode] + self.gazetteer(parameters, context)) if postcode else []
        run_placedist(arguments, feedback, ok_codes=(0, 1))
        load_table(context, output, "matrix")
        return {"OUTPUT": output}


class Coverage(PlacedistAlgorithm):
    def name(self):
        return "coverage"

    def displayName(self):  # noqa: N802
        return "20-mile coverage"

    def shortHelpString(self):  # noqa: N802
        return ("Care providers and places within 20 miles (or another limit) of each home postcode of a CSV "
                "(placedist coverage): DfE straight miles, or road miles with a road network.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile("HOMES", "Homes CSV (postcodes)", extension="csv"))
        self.addParameter(QgsProcessingParameterFile("PROVIDERS", "Providers CSV (urn,name,type,postcode,places)",
                                                     extension="csv"))
        self.addParameter(QgsProcessingParameterNumber("MILES", "Miles", QgsProcessingParameterNumber.Double, 20,
                                                       minValue=0.1, maxValue=1000))
        self.addParameter(QgsProcessingParameterFile("ROADS", "Road network (optional: road miles)", optional=True))
        self.add_gazetteer()
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT", "Coverage CSV", "CSV files (*.csv)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        output = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        arguments = ["coverage", self.parameterAsFile(parameters, "HOMES", context), "--providers",
                     self.parameterAsFile(parameters, "PROVIDERS", context), "--miles",
                     self.parameterAsDouble(parameters, "MILES", context), "-o", output]
        roads = self.parameterAsFile(parameters, "ROADS", context)
        arguments += (["--roads", roads] if roads else []) + self.gazetteer(parameters, context)
        run_placedist(arguments, feedback, ok_codes=(0, 1))
        load_table(context, output, "coverage")
        return {"OUTPUT": output}
