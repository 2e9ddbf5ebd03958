<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.16" styleCategories="Symbology|Labeling">
  <!-- Postcode sector areas (Voronoi cells of the live unit postcodes dissolved by sector, clipped to the land): thin outlines. -->
  <renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <Option type="Map">
            <Option name="color" type="QString" value="0,0,0,0"/>
            <Option name="style" type="QString" value="no"/>
            <Option name="outline_color" type="QString" value="124,45,18,160"/>
            <Option name="outline_width" type="QString" value="0.2"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="joinstyle" type="QString" value="miter"/>
          </Option>
          <prop k="color" v="0,0,0,0"/>
          <prop k="style" v="no"/>
          <prop k="outline_color" v="124,45,18,160"/>
          <prop k="outline_width" v="0.2"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="outline_style" v="solid"/>
          <prop k="joinstyle" v="miter"/>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <!-- The sector codes, only when zoomed in to a town (1:150,000 or closer). -->
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="sector" isExpression="0" fontSize="6" textColor="124,45,18,255" fontFamily="Sans Serif"/>
      <placement placement="1"/>
      <rendering scaleVisibility="1" scaleMin="150000" scaleMax="1"/>
    </settings>
  </labeling>
</qgis>
