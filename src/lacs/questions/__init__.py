"""The questions people ask, each a function over `Database` returning typed records with
`to_json()`: history, snapshot, changes, compare, due, story, themes, search, export, feed.
"""
