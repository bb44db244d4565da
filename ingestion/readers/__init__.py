"""The readers every source parser shares, one per format.

- :mod:`ingestion.readers.files`: finding a source's files (bundled or downloaded), deciding their
  encoding with evidence, delimited text and JSON, provenance columns;
- :mod:`ingestion.readers.delimited`: a delimited file typed against its declared columns;
- :mod:`ingestion.readers.workbooks`: XLSX sheets;
- :mod:`ingestion.readers.documents`: JSON record lists and XML documents (LHEO).

The source parsers (one module per source) sit beside this package, in :mod:`ingestion`.
"""
