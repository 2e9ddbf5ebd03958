#!/usr/bin/python3
"""What real QGIS (PyQGIS, offscreen) makes of placedist's outputs, as JSON on stdout.

  qgis_inspect.py project FILE.qgs PNG     open the project exactly as saved; render its saved
                                           extent (layers as the layer tree draws them) to PNG
  qgis_inspect.py layer URI PROVIDER PNG   add one layer straight from its source ("ogr" or
                                           "postgres"), as an analyst would, with its default style
  qgis_inspect.py style DATA QML PNG       a file's features drawn with a .qml style

For each layer: valid, CRS, features, renderer, and how many features get no symbol from the
renderer (QgsFeatureRenderer.symbolsForFeature); for the project also its CRS, ellipsoid,
distance units, saved extent, layer-tree order and print layouts. The assertions live in the
test that runs this (tests/maps/qgis_outputs_test.cpp).
"""
import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")

from qgis.core import (QgsApplication, QgsLayoutExporter, QgsCoordinateTransform, QgsFeatureRequest, QgsLayoutItemLabel,
                       QgsLayoutItemLegend, QgsLayoutItemMap, QgsLayoutItemScaleBar, QgsMapRendererParallelJob,
                       QgsMapSettings, QgsProject, QgsRectangle, QgsRenderContext, QgsUnitTypes, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def layer_facts(layer, project_crs=None):
    facts = {"name": layer.name(), "valid": layer.isValid(), "crs": layer.crs().authid(),
             "provider": layer.providerType(), "opacity": layer.opacity()}
    if not layer.isValid():
        return facts
    renderer = layer.renderer()
    facts["features"] = layer.featureCount()
    facts["renderer"] = renderer.type() if renderer else None
    facts["labels"] = bool(layer.labelsEnabled())
    if renderer is None:
        facts["unsymbolled"] = facts["features"]
        return facts
    context = QgsRenderContext()
    context.expressionContext().appendScopes(
        __import__("qgis.core", fromlist=["QgsExpressionContextUtils"]).QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    renderer = renderer.clone()
    renderer.startRender(context, layer.fields())
    unsymbolled, seen = 0, 0
    for feature in layer.getFeatures(QgsFeatureRequest()):
        context.expressionContext().setFeature(feature)
        seen += 1
        if not renderer.symbolsForFeature(feature, context):
            unsymbolled += 1
    renderer.stopRender(context)
    facts["iterated"] = seen
    facts["unsymbolled"] = unsymbolled
    facts["legend"] = [item.label() for item in renderer.legendSymbolItems()]
    if project_crs is not None and project_crs.isValid():
        extent = QgsCoordinateTransform(layer.crs(), project_crs, QgsProject.instance()).transformBoundingBox(
            layer.extent())
        facts["extent"] = [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()]
    return facts


def render(layers, crs, extent, png):
    """Renders `layers` (top first) over `extent` to `png`; the share of pixels not background."""
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(crs)
    settings.setExtent(extent)
    settings.setOutputSize(QSize(1000, 800))
    settings.setBackgroundColor(QColor(255, 255, 255))
    started = time.monotonic()
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    seconds = time.monotonic() - started
    image = job.renderedImage()
    image.save(png)
    drawn, colours = 0, set()
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            rgb = image.pixel(x, y) & 0xFFFFFF
            colours.add(rgb)
            if rgb != 0xFFFFFF:
                drawn += 1
    samples = ((image.height() + 3) // 4) * ((image.width() + 3) // 4)
    return {"png": png, "drawn_share": drawn / samples, "colours": len(colours), "seconds": seconds,
            "errors": [e.message for e in job.errors()]}


def inspect_project(path, png):
    project = QgsProject.instance()
    started = time.monotonic()
    ok = project.read(path)
    read_seconds = time.monotonic() - started
    crs = project.crs()
    out = {"read": ok, "read_seconds": read_seconds, "crs": crs.authid(), "ellipsoid": project.ellipsoid(),
           "distance_units": QgsUnitTypes.encodeUnit(project.distanceUnits()),
           "area_units": QgsUnitTypes.encodeUnit(project.areaUnits()),
           "title": project.title()}
    view = project.viewSettings().defaultViewExtent()
    out["saved_extent"] = [view.xMinimum(), view.yMinimum(), view.xMaximum(), view.yMaximum()]
    out["saved_extent_crs"] = view.crs().authid()
    root = project.layerTreeRoot()
    ordered = [node.layer() for node in root.findLayers()]  # top first, as the tree draws them
    out["order"] = [layer.name() for layer in ordered]
    out["visible"] = [node.layer().name() for node in root.findLayers() if node.isVisible()]
    out["layers"] = [layer_facts(layer, crs) for layer in ordered]
    layouts = []
    for layout in project.layoutManager().layouts():
        items = {"name": layout.name(), "labels": [], "legend": False, "scalebar": False, "map": False}
        for item in layout.items():
            if isinstance(item, QgsLayoutItemLabel):
                items["labels"].append(item.currentText())
            elif isinstance(item, QgsLayoutItemLegend):
                items["legend"] = True
                items["legend_entries"] = item.model().rowCount()
            elif isinstance(item, QgsLayoutItemScaleBar):
                items["scalebar"] = True
                items["scalebar_units"] = QgsUnitTypes.encodeUnit(item.units())
            elif isinstance(item, QgsLayoutItemMap):
                items["map"] = True
                e = item.extent()
                items["map_extent"] = [e.xMinimum(), e.yMinimum(), e.xMaximum(), e.yMaximum()]
                items["map_bottom_mm"] = item.positionWithUnits().y() + item.sizeWithUnits().height()
        # The layout as printed, beside the map render.
        exporter = QgsLayoutExporter(layout)
        image = QgsLayoutExporter.ImageExportSettings()
        image.dpi = 60
        target = png[:-4] + "_layout.png"
        items["export"] = exporter.exportToImage(target, image) == QgsLayoutExporter.Success
        items["png"] = target
        layouts.append(items)
    out["layouts"] = layouts
    visible = [node.layer() for node in root.findLayers() if node.isVisible()]
    extent = QgsRectangle(view) if not view.isEmpty() else QgsRectangle()
    if not extent.isEmpty():
        out["render"] = render(visible, crs, extent, png)
    return out


def inspect_layer(uri, provider, png):
    project = QgsProject.instance()
    layer = QgsVectorLayer(uri, uri.split("layername=")[-1].split("|")[0], provider)
    out = {"layer": layer_facts(layer)}
    if layer.isValid():
        project.addMapLayer(layer)
        out["styled_from_source"] = layer.styleManager().currentStyle()
        extent = QgsCoordinateTransform(layer.crs(), layer.crs(), project).transformBoundingBox(layer.extent())
        extent.scale(1.05)
        out["render"] = render([layer], layer.crs(), extent, png)
    return out


def inspect_style(data, qml, png):
    """A layer read from `data` with the style `qml` applied (every value the data can hold)."""
    layer = QgsVectorLayer(data, "style", "ogr")
    message, ok = layer.loadNamedStyle(qml)
    out = {"loaded": ok, "message": message, "layer": layer_facts(layer)}
    if layer.isValid():
        extent = layer.extent()
        extent.scale(1.2)
        out["render"] = render([layer], layer.crs(), extent, png)
    return out


def main():
    app = QgsApplication([], False)
    app.initQgis()
    try:
        if sys.argv[1] == "project":
            result = inspect_project(sys.argv[2], sys.argv[3])
        elif sys.argv[1] == "style":
            result = inspect_style(sys.argv[2], sys.argv[3], sys.argv[4])
        else:
            result = inspect_layer(sys.argv[2], sys.argv[3], sys.argv[4])
        print(json.dumps(result, indent=1))
    finally:
        QgsProject.instance().clear()
        app.exitQgis()


if __name__ == "__main__":
    main()
