"""The domain's facts, below everything else: grades, the framework registry (frameworks.py, the only
place a framework is named) and how its reports are recognised (report_types.py), the register of
councils, Ofsted's official releases' rules, dates.
"""

from pathlib import Path

# The package's own data files (the register, the hex map, the themes, the shipped dataset).
# A plain path, not importlib.resources: lacs is installed as files, and resources costs
# 5 to 10 ms at every start.
DATA_FOLDER = Path(__file__).resolve().parent.parent / "data"
