<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.22.16" styleCategories="Symbology|Labeling|Rendering">
  <!-- Every council, shaded by how many of the responsible council's children are placed there (translucent, under the zones); labels: name and count, 1 to 5 (null in shareable layers) shown as c as the report shows them. -->
  <renderer-v2 type="graduatedSymbol" attr="coalesce(&quot;placements&quot;, -1)" graduatedMethod="GraduatedColor" symbollevels="0" enableorderby="0" forceraster="0">
    <ranges>
      <range lower="-1" upper="-1" symbol="5" label="c: suppressed (1 to 5, or to protect one)" render="true"/>
      <range lower="0" upper="0" symbol="0" label="none" render="true"/>
      <range lower="0" upper="5" symbol="1" label="1 to 5" render="true"/>
      <range lower="5" upper="20" symbol="2" label="6 to 20" render="true"/>
      <range lower="20" upper="50" symbol="3" label="21 to 50" render="true"/>
      <range lower="50" upper="1000000000" symbol="4" label="over 50" render="true"/>
    </ranges>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <Option type="Map">
            <Option name="color" type="QString" value="255,255,255,0"/>
            <Option name="style" type="QString" value="no"/>
            <Option name="outline_color" type="QString" value="160,160,160,255"/>
            <Option name="outline_width" type="QString" value="0.15"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="joinstyle" type="QString" value="miter"/>
          </Option>
          <prop k="color" v="255,255,255,0"/>
          <prop k="style" v="no"/>
          <prop k="outline_color" v="160,160,160,255"/>
          <prop k="outline_width" v="0.15"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="outline_style" v="solid"/>
          <prop k="joinstyle" v="miter"/>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <Option type="Map">
            <Option name="color" type="QString" value="254,237,222,200"/>
            <Option name="style" type="QString" value="solid"/>
            <Option name="outline_color" type="QString" value="160,160,160,255"/>
            <Option name="outline_width" type="QString" value="0.15"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="joinstyle" type="QString" value="miter"/>
          </Option>
          <prop k="color" v="254,237,222,200"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="160,160,160,255"/>
          <prop k="outline_width" v="0.15"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="outline_style" v="solid"/>
          <prop k="joinstyle" v="miter"/>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <Option type="Map">
            <Option name="color" type="QString" value="253,190,133,200"/>
            <Option name="style" type="QString" value="solid"/>
            <Option name="outline_color" type="QString" value="160,160,160,255"/>
            <Option name="outline_width" type="QString" value="0.15"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="joinstyle" type="QString" value="miter"/>
          </Option>
          <prop k="color" v="253,190,133,200"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="160,160,160,255"/>
          <prop k="outline_width" v="0.15"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="outline_style" v="solid"/>
          <prop k="joinstyle" v="miter"/>
        </layer>
      </symbol>
      <symbol type="fill" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <Option type="Map">
            <Option name="color" type="QString" value="253,141,60,200"/>
            <Option name="style" type="QString" value="solid"/>
            <Option name="outline_color" type="QString" value="160,160,160,255"/>
            <Option name="outline_width" type="QString" value="0.15"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="joinstyle" type="QString" value="miter"/>
          </Option>
          <prop k="color" v="253,141,60,200"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="160,160,160,255"/>
          <prop k="outline_width" v="0.15"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="outline_style" v="solid"/>
          <prop k="joinstyle" v="miter"/>
        </layer>
      </symbol>
      <symbol type="fill" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <Option type="Map">
            <Option name="color" type="QString" value="217,71,1,200"/>
            <Option name="style" type="QString" value="solid"/>
            <Option name="outline_color" type="QString" value="160,160,160,255"/>
            <Option name="outline_width" type="QString" value="0.15"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="joinstyle" type="QString" value="miter"/>
          </Option>
          <prop k="color" v="217,71,1,200"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="160,160,160,255"/>
          <prop k="outline_width" v="0.15"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="outline_style" v="solid"/>
          <prop k="joinstyle" v="miter"/>
        </layer>
      </symbol>
      <symbol type="fill" name="5" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <Option type="Map">
            <Option name="color" type="QString" value="120,120,120,255"/>
            <Option name="style" type="QString" value="b_diagonal"/>
            <Option name="outline_color" type="QString" value="160,160,160,255"/>
            <Option name="outline_width" type="QString" value="0.15"/>
            <Option name="outline_width_unit" type="QString" value="MM"/>
            <Option name="outline_style" type="QString" value="solid"/>
            <Option name="joinstyle" type="QString" value="miter"/>
          </Option>
          <prop k="color" v="120,120,120,255"/>
          <prop k="style" v="b_diagonal"/>
          <prop k="outline_color" v="160,160,160,255"/>
          <prop k="outline_width" v="0.15"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="outline_style" v="solid"/>
          <prop k="joinstyle" v="miter"/>
        </layer>
      </symbol>
    </symbols>
    <mode name="manual"/>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="CASE WHEN &quot;placements&quot; IS NULL THEN &quot;name&quot; || ' (c)' WHEN &quot;placements&quot; > 0 THEN &quot;name&quot; || ' (' || &quot;placements&quot; || ')' END" isExpression="1" fontSize="8" textColor="50,50,50,255" fontFamily="Sans Serif"/>
      <placement placement="1"/>
    </settings>
  </labeling>
  <layerOpacity>0.7</layerOpacity>
</qgis>
