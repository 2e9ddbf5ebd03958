"""placedist's QGIS plugin: a Processing provider whose algorithms run the placedist binary."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import PlacedistPlugin
    return PlacedistPlugin(iface)
