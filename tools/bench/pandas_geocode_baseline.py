"""The baseline a user would otherwise write: pandas merge of a postcode CSV with Code-Point Open.

Normalises the typed postcode (strip quotes/blanks, upper case, one space before the inward
code), reads the 120 Code-Point CSVs, merges, and writes every input row with E/N and the
council codes. usage: pandas_geocode_baseline.py IN.csv CODEPOINT_DATA_CSV_DIR OUT.csv
"""
import glob
import sys

import pandas as pd

source, codepoint, out = sys.argv[1:4]
rows = pd.read_csv(source, dtype=str, keep_default_na=False)
compact = rows["postcode"].str.strip().str.strip("\"'").str.upper().str.replace(r"\s+", "", regex=True)
rows["pc_normalised"] = compact.str[:-3] + " " + compact.str[-3:]
columns = ["pc_normalised", "quality", "easting", "northing", "country", "nhs_region", "nhs_ha", "county", "district", "ward"]
directory = pd.concat(
    (pd.read_csv(f, header=None, names=columns, dtype=str, keep_default_na=False) for f in sorted(glob.glob(codepoint + "/*.csv*"))),
    ignore_index=True,
)
directory["pc_normalised"] = directory["pc_normalised"].str.replace(r"\s+", "", regex=True)
directory["pc_normalised"] = directory["pc_normalised"].str[:-3] + " " + directory["pc_normalised"].str[-3:]
merged = rows.merge(directory[["pc_normalised", "easting", "northing", "district", "county"]], on="pc_normalised", how="left")
merged["status"] = merged["easting"].isna().map({True: "unknown", False: "ok"})
merged.to_csv(out, index=False)
print(f"pandas: {len(merged)} rows, {int((merged.status == 'ok').sum())} matched", file=sys.stderr)
