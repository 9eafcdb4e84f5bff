"""Ofsted's website: fetching politely with httpx (fetch.py) and reading its listing and provider
pages (listing.py).
"""
