"""The domain's facts, below everything else: grades, the framework registry (frameworks.py, the only
place a framework is named) and how its reports are recognised (report_types.py), the register of
councils, Ofsted's official releases' rules, dates.
"""
