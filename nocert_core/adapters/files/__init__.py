"""Files: CSV and XLSX reading and writing (tabular.py, catalogue_files.py, xlsx_reports.py; formulas made
safe by xlsx_safety.py) and report charts (charts.py)."""
