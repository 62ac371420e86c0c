"""Convert Word documents to PDF with LibreOffice, each content converted once.

In: .docx files (papers, filled cover reports, forward-plan tables, the front
sheet). Out: a PDF for each, from the content-addressed cache when the same
bytes were converted before (:mod:`.cachedir`, shared with the render cache).

:mod:`.converter` batches the documents and checks every output;
:mod:`._exec.soffice` is the one place LibreOffice is started, timed out and
killed (one-shot runs, or one kept running for ``watch`` and driven through
:mod:`._exec.uno_bridge`).
"""
