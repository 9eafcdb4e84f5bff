"""Reading Ofsted's report files: PDF text (pdf.py), cleaning it (text.py), the improvement lists
(improvements.py), a whole record (extract.py), finding report files (corpus.py).
"""
