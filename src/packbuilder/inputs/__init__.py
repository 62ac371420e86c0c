"""Input files read once: the bytes a build reads are the bytes it hashes and parses.

In: paths of papers, converted documents and templates. Out: open PDFs
(:mod:`.pdfread`: pypdf readers with repairs noted and unusable files named,
:mod:`.pdfparse` its fast object parser), Word packages checked before
LibreOffice sees them (:mod:`.docxcheck`), and the record of what a build
read and hashed (:mod:`.session`, kept between the builds of ``watch``).
"""
