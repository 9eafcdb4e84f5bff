"""Ofsted's official statistics: the .ods reader (ods.py), its tables read by their layouts (tables.py),
and which inspection each row records (match.py: pure functions, no database).
"""
