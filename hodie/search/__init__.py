"""Finding names in any spelling, and the "possibly related" lists.

``spelling`` makes the keys (pure Python), ``keys`` stores them for each object when it is saved,
``lookup`` answers a query from them with plain equality and prefix lookups (the same hits on
SQLite and PostgreSQL), ``related`` computes and stores each entry's and article's related list,
``signals`` keeps both up to date on every save. docs/search.md tells the whole of it.
"""
